// Unit and property tests of the Wilson score interval (kernel/stats/wilson).
// Checks textbook values, the edges 0 and n, argument errors, and that the interval holds p̂.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../../core/errors.ts';
import { wilsonInterval } from './index.ts';

function close(a: number, b: number, tol = 1e-4): void {
  assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
}

test('Wilson interval: 5 of 10 at 95 % is [0.2366, 0.7634]', () => {
  const ci = wilsonInterval(5, 10)!;
  close(ci.lower, 0.2366);
  close(ci.upper, 0.7634);
});

test('Wilson interval: 0 of 10 starts at 0 and ends near 0.2775', () => {
  const ci = wilsonInterval(0, 10)!;
  assert.equal(ci.lower, 0);
  close(ci.upper, 0.2775);
  assert.equal(wilsonInterval(10, 10)!.upper, 1);
});

test('Wilson interval: no trials gives null; bad arguments throw RT_KERNEL_ARGUMENT', () => {
  assert.equal(wilsonInterval(0, 0), null);
  for (const args of [
    [-1, 10],
    [11, 10],
    [1, Number.NaN],
    [1, 10, 0],
  ] as const) {
    assert.throws(
      () => wilsonInterval(args[0], args[1], args[2]),
      (e) => isRigtuneError(e, 'RT_KERNEL_ARGUMENT'),
    );
  }
});

test('Wilson interval: within [0, 1], contains p̂ and narrows with more trials', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
      const k = Math.round(f * n);
      const ci = wilsonInterval(k, n)!;
      const p = k / n;
      assert.ok(ci.lower >= 0 && ci.upper <= 1 && ci.lower <= ci.upper);
      assert.ok(ci.lower <= p + 1e-12 && p - 1e-12 <= ci.upper);
      const wide = wilsonInterval(k, n)!;
      const narrow = wilsonInterval(k * 4, n * 4)!;
      assert.ok(narrow.upper - narrow.lower <= wide.upper - wide.lower + 1e-12);
    }),
    { seed: 20240601, numRuns: 300 },
  );
});
