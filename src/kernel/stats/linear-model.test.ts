// Tests of the small least-squares solver: exact systems, singular designs, and a regression that
// recovers a known slope and intercept from seeded noise.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitOls, seededRng, solveLinearSystem } from './index.ts';

test('solves a small system exactly and refuses a singular one', () => {
  const x = solveLinearSystem(
    [
      [2, 1, -1],
      [-3, -1, 2],
      [-2, 1, 2],
    ],
    [8, -11, -3],
  );
  assert.deepEqual(
    x?.map((v) => Math.round(v * 1e12) / 1e12),
    [2, 3, -1],
  );
  assert.equal(
    solveLinearSystem(
      [
        [1, 2],
        [2, 4],
      ],
      [1, 2],
    ),
    null,
  );
});

test('OLS recovers a known intercept and slope within its standard errors', () => {
  const rng = seededRng(42);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 400; i++) {
    const x = 20 + 10 * rng.next();
    // Sum of 12 uniforms − 6: mean 0, SD 1.
    let e = -6;
    for (let k = 0; k < 12; k++) e += rng.next();
    rows.push([1, x]);
    y.push(5 - 0.8 * x + 0.5 * e);
  }
  const fit = fitOls(rows, y);
  assert.ok(fit !== null);
  const [b0, b1] = fit.coefficients;
  const [s0, s1] = fit.standardErrors;
  assert.ok(Math.abs(b1 + 0.8) < 3 * s1, `slope ${b1} ± ${s1}`);
  assert.ok(Math.abs(b0 - 5) < 3 * s0, `intercept ${b0} ± ${s0}`);
  assert.ok(Math.abs((fit.residualVariance ?? 0) - 0.25) < 0.05);
  assert.equal(fitOls([[1, 2]], [3]), null);
});
