// The exact Poisson interval against published chi-square values, the incomplete gamma function, and
// type-7 quantiles of lead-time samples.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributionOf, gammaP, poissonInterval, quantile } from './intervals.ts';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);

test('Garwood 95 % intervals match the chi-square tables', () => {
  // k: [lower, upper] = chi2.ppf(0.025, 2k)/2, chi2.ppf(0.975, 2k+2)/2 (scipy 1.x).
  const table: Array<[number, number, number]> = [
    [0, 0, 3.688879],
    [1, 0.02531781, 5.571643],
    [3, 0.6186721, 8.767273],
    [10, 4.795389, 18.39036],
    [100, 81.36399, 121.6268],
  ];
  for (const [k, lo, hi] of table) {
    const [l, h] = poissonInterval(k);
    close(l, lo, 1e-5 * Math.max(1, lo));
    close(h, hi, 1e-5 * Math.max(1, hi));
  }
  assert.throws(() => poissonInterval(-1), RangeError);
  assert.throws(() => poissonInterval(1.5), RangeError);
});

test('P(a, x) at known points', () => {
  close(gammaP(1, 1), 1 - Math.exp(-1));
  close(gammaP(3, 2), 0.3233236);
  close(gammaP(50, 60), 0.9155933, 1e-6);
  assert.equal(gammaP(2, 0), 0);
});

test('quantiles interpolate between order statistics; distributions sort their values', () => {
  assert.equal(quantile([], 0.5), null);
  assert.equal(quantile([4, 1, 3, 2], 0.5), 2.5);
  assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75);
  const d = distributionOf([9, -3, 5]);
  assert.deepEqual(d, { n: 3, median: 5, q1: 1, q3: 7, min: -3, max: 9, values: [-3, 5, 9] });
});
