// Tests of the ring buffer: order newest-last, wraparound past capacity, at(), last(n), iteration.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../core/errors.ts';
import { RingBuffer } from './ring-buffer.ts';

test('fills, then wraps around dropping the oldest', () => {
  const rb = new RingBuffer(3);
  assert.equal(rb.length, 0);
  assert.equal(rb.newest(), undefined);
  rb.push(1);
  rb.push(2);
  assert.deepEqual([...rb.toArray()], [1, 2]);
  rb.push(3);
  rb.push(4);
  rb.push(5);
  assert.equal(rb.length, 3);
  assert.equal(rb.capacity, 3);
  assert.deepEqual([...rb.toArray()], [3, 4, 5]);
  assert.deepEqual([...rb], [3, 4, 5]);
  assert.deepEqual(
    [rb.at(0), rb.at(2), rb.at(-1), rb.at(-3), rb.at(3), rb.at(-4)],
    [3, 5, 5, 3, undefined, undefined],
  );
  assert.deepEqual([...rb.last(2)], [4, 5]);
  assert.deepEqual([...rb.last(10)], [3, 4, 5]);
  assert.deepEqual([...rb.last(0)], []);
  rb.clear();
  assert.equal(rb.length, 0);
  rb.push(Number.NaN);
  assert.ok(Number.isNaN(rb.newest()));
});

test('capacity must be an integer ≥ 1', () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    assert.throws(
      () => new RingBuffer(bad),
      (err) => isRigtuneError(err, 'RT_KERNEL_ARGUMENT'),
    );
  }
});

test('property: holds the last `capacity` values pushed, in order', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 20 }),
      fc.array(fc.double({ noNaN: true }), { maxLength: 100 }),
      (cap, xs) => {
        const rb = new RingBuffer(cap);
        for (const x of xs) rb.push(x);
        assert.deepEqual([...rb.toArray()], xs.slice(Math.max(0, xs.length - cap)));
      },
    ),
    { seed: 3 },
  );
});
