// Tests of the normal quantile (AS 241), the beta quantile and Clopper–Pearson bounds against
// closed forms and reference values (scipy.stats.norm.ppf, binomtest).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  betaQuantile,
  binomialLowerTail,
  binomialUpperTail,
  clopperPearson,
  normalQuantile,
  regularizedBeta,
} from './index.ts';

const close = (a: number, b: number, tol: number, what = '') =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tol ${tol})`);

test('normal quantile matches scipy', () => {
  close(normalQuantile(0.975), 1.959963984540054, 1e-14);
  close(normalQuantile(0.8), 0.8416212335729143, 1e-14);
  close(normalQuantile(0.5), 0, 1e-16);
  close(normalQuantile(0.025), -1.959963984540054, 1e-14);
  close(normalQuantile(1e-10), -6.361340902404056, 1e-12);
  close(normalQuantile(1 - 1e-6), 4.753424308822899, 1e-11);
  assert.ok(Number.isNaN(normalQuantile(0)));
  assert.ok(Number.isNaN(normalQuantile(1)));
});

test('beta quantile inverts the regularised beta', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.001, max: 0.999, noNaN: true }),
      fc.double({ min: 0.5, max: 200, noNaN: true }),
      fc.double({ min: 0.5, max: 200, noNaN: true }),
      (q, a, b) => close(regularizedBeta(betaQuantile(q, a, b), a, b), q, 1e-9),
    ),
    { seed: 3, numRuns: 300 },
  );
});

test('Clopper–Pearson: closed forms at 0 and n, and tail probabilities at the bounds', () => {
  const zero = clopperPearson(0, 10, 0.95);
  assert.equal(zero?.lo, 0);
  close(zero?.hi ?? 0, 1 - 0.025 ** (1 / 10), 1e-10);
  const all = clopperPearson(10, 10, 0.95);
  close(all?.lo ?? 0, 0.025 ** (1 / 10), 1e-10);
  assert.equal(all?.hi, 1);
  const half = clopperPearson(5, 10, 0.95);
  close(half?.lo ?? 0, 0.18708602844739, 1e-9);
  close(half?.hi ?? 0, 0.81291397155261, 1e-9);
  // At the bounds the tails are exactly α/2.
  const cp = clopperPearson(7, 40, 0.9) as { lo: number; hi: number };
  close(binomialUpperTail(7, 40, cp.lo), 0.05, 1e-9);
  close(binomialLowerTail(7, 40, cp.hi), 0.05, 1e-9);
  assert.equal(clopperPearson(0, 0, 0.95), null);
});
