// Unit tests of kernel/stats/summary: mean, sample variance, median (Python semantics), MAD.
// Hand-checkable values plus the empty and single-value cases that return null.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { finiteValues, mean, median, medianAbsDeviation, sampleVariance } from './index.ts';

test('mean and sample variance of a small series', () => {
  assert.equal(mean([1, 2, 3, 4]), 2.5);
  assert.equal(sampleVariance([1, 2, 3, 4]), 5 / 3);
  assert.equal(mean([]), null);
  assert.equal(sampleVariance([7]), null);
});

test('median averages the two middle values for even n and does not mutate its input', () => {
  const xs = [4, 1, 3, 2];
  assert.equal(median(xs), 2.5);
  assert.deepEqual(xs, [4, 1, 3, 2]);
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([]), null);
});

test('MAD is the unscaled median of absolute deviations', () => {
  assert.equal(medianAbsDeviation([1, 2, 3, 4, 100]), 1);
  assert.equal(medianAbsDeviation([2, 2, 2]), 0);
  assert.equal(medianAbsDeviation([]), null);
});

test('finiteValues drops null, NaN and infinities', () => {
  assert.deepEqual(
    finiteValues([1, null, Number.NaN, 2, Number.POSITIVE_INFINITY, undefined, -3]),
    [1, 2, -3],
  );
});

test('median equals the sorted-copy median bit for bit on any finite array (duplicates, ±0, wide ranges)', () => {
  const sortedMedian = (xs: readonly number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  };
  const value = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom(0, -0, 1e300, -1e300),
  );
  fc.assert(
    fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (xs) => {
      const copy = [...xs];
      assert.ok(Object.is(median(xs), sortedMedian(xs)) || median(xs) === sortedMedian(xs));
      assert.deepEqual(xs, copy);
    }),
    { numRuns: 500 },
  );
});
