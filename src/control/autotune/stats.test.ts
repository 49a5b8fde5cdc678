// Tests of the validation statistics against reference values (t tables, scipy.stats) and their
// edge cases (too few samples, zero variance, no events).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  binomialUpperTail,
  logGamma,
  rateRiseTest,
  regularizedBeta,
  studentTCdf,
  studentTQuantile,
  welchInterval,
} from './stats.ts';

const close = (a: number, b: number, tol: number, what = '') =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tol ${tol})`);

test('logGamma matches factorials', () => {
  close(logGamma(1), 0, 1e-13);
  close(logGamma(5), Math.log(24), 1e-12);
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12);
  close(logGamma(101), 363.73937555556347, 1e-9);
});

test('Student t quantiles match the tables', () => {
  const table: [number, number, number][] = [
    [0.975, 1, 12.706204736],
    [0.975, 2, 4.30265273],
    [0.975, 5, 2.570581836],
    [0.975, 10, 2.228138852],
    [0.975, 30, 2.042272456],
    [0.995, 7, 3.499483297],
    [0.95, 4.5, 2.065575889],
    [0.975, 1e6, 1.959966],
  ];
  for (const [p, df, t] of table) close(studentTQuantile(p, df), t, t * 2e-5, `t(${p}, ${df})`);
  close(studentTQuantile(0.025, 10), -2.228138852, 1e-6);
  close(studentTCdf(0, 3), 0.5, 1e-15);
  assert.ok(Number.isNaN(studentTQuantile(1, 3)));
});

test('t quantile inverts the CDF', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.001, max: 0.999, noNaN: true }),
      fc.double({ min: 1, max: 500, noNaN: true }),
      (p, df) => {
        close(studentTCdf(studentTQuantile(p, df), df), p, 1e-9);
      },
    ),
    { seed: 11, numRuns: 500 },
  );
});

test('regularised beta: symmetry and known values', () => {
  close(regularizedBeta(0.5, 2, 2), 0.5, 1e-14);
  close(regularizedBeta(0.3, 2, 5) + regularizedBeta(0.7, 5, 2), 1, 1e-13);
  close(regularizedBeta(0.2, 1, 1), 0.2, 1e-14);
});

test('binomial upper tail matches scipy', () => {
  // 1 - binom.cdf(k - 1, n, p)
  close(binomialUpperTail(3, 10, 0.5), 0.9453125, 1e-12);
  close(binomialUpperTail(15, 15, 0.5), 0.5 ** 15, 1e-15);
  close(binomialUpperTail(8, 20, 0.2), 0.03214266, 1e-7);
  close(binomialUpperTail(60, 1000, 0.05), 0.086732178385, 1e-9);
  assert.equal(binomialUpperTail(0, 5, 0.1), 1);
  assert.equal(binomialUpperTail(6, 5, 0.1), 0);
});

test('Welch interval matches scipy (unequal variances)', () => {
  const a = [19.1, 20.2, 20.8, 18.4, 21.3, 19.9];
  const b = [22.4, 21.7, 23.8, 22.1, 20.9, 24.0, 22.6];
  const w = welchInterval(a, b, 0.95);
  assert.ok(w !== null);
  close(w.diff, 22.5 - 19.95, 1e-12);
  // scipy: variances 1.147 and 1.22, df = 10.7953914, t(0.975, df) = 2.20608549, se = 0.60452658.
  close(w.df, 10.7953914, 1e-6);
  close(w.hi - w.diff, 2.20608549 * 0.60452658, 1e-6);
  assert.equal(welchInterval([1], [1, 2], 0.95), null);
  const flat = welchInterval([2, 2, 2], [3, 3], 0.95);
  assert.deepEqual([flat?.lo, flat?.hi, flat?.df], [1, 1, Number.POSITIVE_INFINITY]);
});

test('rate rise: exact conditional test', () => {
  // 0 errors in 300 s before, 15 in 300 s after: P = 0.5^15.
  close(rateRiseTest(0, 300, 15, 300).pValue, 0.5 ** 15, 1e-18);
  const none = rateRiseTest(0, 100, 0, 100);
  assert.equal(none.pValue, 1);
  assert.equal(rateRiseTest(5, 100, 5, 100).pValue > 0.5, true);
  assert.equal(rateRiseTest(3, 0, 0, 0).ratePre, null);
  const r = rateRiseTest(2, 400, 9, 100);
  assert.equal(r.ratePost, 0.09);
  close(r.pValue, binomialUpperTail(9, 11, 0.2), 1e-15);
});
