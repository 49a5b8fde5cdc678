// Tests of WindowSum: equal, bit for bit, to summing the finite values of the last `capacity` samples
// left to right, for integer, fractional, huge and missing values alike.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { WindowSum } from './window-sum.ts';

/** The scorer's former reading: the last n samples, finite ones summed oldest first from 0. */
function plainSum(values: readonly number[], n: number): number | null {
  let sum = 0;
  let seen = false;
  for (const v of values.slice(Math.max(0, values.length - n))) {
    if (Number.isFinite(v)) {
      sum += v;
      seen = true;
    }
  }
  return seen ? sum : null;
}

test('empty and all-missing windows have no sum', () => {
  const w = new WindowSum(3);
  assert.equal(w.sum(), null);
  w.push(Number.NaN);
  w.push(Number.POSITIVE_INFINITY);
  assert.equal(w.sum(), null);
  w.push(2);
  assert.equal(w.sum(), 2);
  w.push(Number.NaN);
  w.push(Number.NaN);
  w.push(Number.NaN);
  assert.equal(w.sum(), null);
  assert.equal(new WindowSum(0).sum(), null);
});

test('equals the left-to-right sum of the window bit for bit (property)', () => {
  const value = fc.oneof(
    fc.constant(Number.NaN),
    fc.integer({ min: 0, max: 5 }),
    fc.integer({ min: 0, max: 3 }).map((k) => k * 4e9),
    fc.double({ min: 0, max: 1e6, noNaN: true }),
    fc.constantFrom(0.1, 0.2, 0.3, 2 ** 60, 2 ** 44 + 1),
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 20 }), fc.array(value, { maxLength: 120 }), (capacity, values) => {
      const w = new WindowSum(capacity);
      for (let i = 0; i < values.length; i += 1) {
        w.push(values[i]);
        const want = plainSum(values.slice(0, i + 1), capacity);
        const got = w.sum();
        if (!Object.is(got, want)) return false;
      }
      return true;
    }),
    { numRuns: 500 },
  );
});

test('a long run of share counts stays exact', () => {
  const w = new WindowSum(300);
  const values: number[] = [];
  for (let i = 0; i < 5000; i += 1) {
    const v = i % 7 === 0 ? Number.NaN : (i * 13) % 5;
    values.push(v);
    w.push(v);
  }
  assert.equal(w.sum(), plainSum(values, 300));
});

test('lanes are independent windows, each equal to a one-lane window bit for bit (property)', () => {
  const value = fc.oneof(
    fc.constant(Number.NaN),
    fc.integer({ min: 0, max: 5 }),
    fc.integer({ min: 0, max: 3 }).map((k) => k * 4e9),
    fc.double({ min: 0, max: 1e6, noNaN: true }),
    fc.constantFrom(0.1, 0.25, 0.5, 2 ** 60),
  );
  const step = fc.tuple(fc.integer({ min: 0, max: 2 }), value);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }), fc.array(step, { maxLength: 150 }), (capacity, steps) => {
      const multi = new WindowSum(capacity, 3);
      const single = [new WindowSum(capacity), new WindowSum(capacity), new WindowSum(capacity)];
      for (const [lane, v] of steps) {
        multi.push(v, lane);
        single[lane].push(v);
        for (let l = 0; l < 3; l += 1) if (!Object.is(multi.sum(l), single[l].sum())) return false;
      }
      return true;
    }),
    { numRuns: 500 },
  );
});
