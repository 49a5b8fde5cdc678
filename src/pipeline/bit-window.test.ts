// Tests of BitWindow: the bits come back oldest first, the oldest fall out once it is full, and the
// returned view is the newest `capacity` bits after any number of pushes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { packBits } from '../kernel/qfh/index.ts';
import { BitWindow } from './bit-window.ts';

test('an empty window has length 0 and an empty view', () => {
  const w = new BitWindow(4);
  assert.equal(w.capacity, 4);
  assert.equal(w.length, 0);
  assert.deepEqual([...w.view()], []);
});

test('bits come back oldest first until full, then the oldest drop out', () => {
  const w = new BitWindow(3);
  w.push(1);
  w.push(0);
  assert.equal(w.length, 2);
  assert.deepEqual([...w.view()], [1, 0]);
  w.push(1);
  w.push(1);
  assert.equal(w.length, 3);
  assert.deepEqual([...w.view()], [0, 1, 1]);
  w.push(0);
  assert.deepEqual([...w.view()], [1, 1, 0]);
});

test('the view is the newest `capacity` bits for any push sequence (property)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.array(fc.constantFrom<0 | 1>(0, 1), { maxLength: 200 }),
      (capacity, bits) => {
        const w = new BitWindow(capacity);
        for (let i = 0; i < bits.length; i += 1) {
          w.push(bits[i]);
          const want = bits.slice(Math.max(0, i + 1 - capacity), i + 1);
          assert.equal(w.length, want.length);
          assert.deepEqual([...w.view()], want);
        }
      },
    ),
  );
});

test('a view is a fresh reading each call (the previous one may be overwritten)', () => {
  const w = new BitWindow(2);
  w.push(1);
  w.push(1);
  const a = [...w.view()];
  w.push(0);
  assert.deepEqual(a, [1, 1]);
  assert.deepEqual([...w.view()], [1, 0]);
});

test('pack gives the view packed MSB first and word the newest bits, short and long windows (property)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 70 }),
      fc.array(fc.constantFrom<0 | 1>(0, 1), { maxLength: 150 }),
      (capacity, bits) => {
        const w = new BitWindow(capacity);
        const out = new Uint8Array(Math.max(4, Math.ceil(capacity / 8)));
        for (const bit of bits) {
          w.push(bit);
          const view = [...w.view()];
          assert.equal(w.pack(out), view.length);
          assert.deepEqual([...out.subarray(0, Math.ceil(view.length / 8))], [...packBits(view)]);
          const tail = view.slice(-32);
          assert.equal(
            w.word,
            tail.reduce((acc, b) => acc * 2 + b, 0),
          );
        }
      },
    ),
  );
});
