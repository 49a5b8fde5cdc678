// Tests of the two-sided conditional Poisson comparison: p-values against direct binomial sums, the
// rate-ratio interval's coverage of the estimate, and the argument checks.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RigtuneError } from '../../core/errors.ts';
import { binomialUpperTail, compareRates } from './index.ts';

const close = (a: number, b: number, tol: number, what = '') =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tol ${tol})`);

/** P(X ≥ k), X ~ Binomial(n, ½), by exact summation (n ≤ 50 keeps the binomials exact in doubles). */
function upperHalf(k: number, n: number): number {
  let c = 1;
  let acc = 0;
  for (let i = 0; i <= n; i++) {
    if (i >= k) acc += c;
    c = (c * (n - i)) / (i + 1);
  }
  return acc / 2 ** n;
}

test('two-sided p equals twice the smaller binomial tail', () => {
  const r = compareRates(10, 1, 20, 1);
  close(r.pValue, 2 * upperHalf(20, 30), 1e-12);
  close(r.pValue, 0.09873714670538902, 1e-12);
  assert.equal(r.ratio, 2);
  // Unequal exposures: B has a quarter of the exposure.
  const u = compareRates(40, 300, 25, 100);
  close(u.pValue, 2 * binomialUpperTail(25, 65, 0.25), 1e-12);
  assert.equal(compareRates(5, 10, 5, 10).pValue, 1);
});

test('rate-ratio interval: contains the ratio, open-ended with no events in A', () => {
  const r = compareRates(12, 2, 30, 2, 0.95);
  assert.ok(r.ratioLo !== null && r.ratioHi !== null && r.ratio !== null);
  assert.ok(r.ratioLo < r.ratio && r.ratio < r.ratioHi);
  assert.ok(r.ratioLo > 1, 'a 2.5× rise over 42 events is significant');
  const none = compareRates(0, 5, 4, 5);
  assert.equal(none.ratio, null);
  assert.equal(none.ratioHi, null);
  assert.ok((none.ratioLo ?? 0) > 0);
  const empty = compareRates(0, 5, 0, 5);
  assert.deepEqual([empty.pValue, empty.ratioLo, empty.ratioHi], [1, null, null]);
});

test('p in [0, 1] and the interval brackets the ratio for any counts', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 500 }),
      fc.integer({ min: 0, max: 500 }),
      fc.double({ min: 0.01, max: 1e4, noNaN: true }),
      fc.double({ min: 0.01, max: 1e4, noNaN: true }),
      (ka, kb, ea, eb) => {
        const r = compareRates(ka, ea, kb, eb);
        assert.ok(r.pValue >= 0 && r.pValue <= 1);
        const ratio = r.ratio as number;
        assert.ok(
          (r.ratioLo as number) <= ratio * (1 + 1e-9) &&
            ratio <= (r.ratioHi ?? Number.POSITIVE_INFINITY) * (1 + 1e-9),
        );
      },
    ),
    { seed: 5, numRuns: 200 },
  );
});

test('non-integer or negative counts are refused', () => {
  assert.throws(() => compareRates(1.5, 1, 2, 1), RigtuneError);
  assert.throws(() => compareRates(1, -1, 2, 1), RigtuneError);
});
