// Tests of the random-effects combination: a worked example (values from an independent
// implementation of the DerSimonian–Laird / HKSJ formulas), homogeneous input, one unit, bad input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combineRandomEffects, studentTQuantile } from './index.ts';

const close = (a: number, b: number, tol: number, what = '') =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tol ${tol})`);

test('DerSimonian–Laird τ², Q and the HKSJ interval on a worked example', () => {
  const y = [0.1, 0.3, 0.35, 0.65, 0.45, 0.15];
  const v = [0.03, 0.03, 0.05, 0.01, 0.05, 0.02];
  const r = combineRandomEffects(y, v, 0.95);
  assert.ok(r !== null);
  close(r.q, 12.805627705627707, 1e-12, 'Q');
  close(r.tau2, 0.03978596646072374, 1e-12, 'tau2');
  close(r.estimate, 0.34424967841900617, 1e-12, 'estimate');
  close(r.se, 0.1067541902737589, 1e-12, 'se');
  close(r.hi - r.estimate, studentTQuantile(0.975, 5) * r.se, 1e-12);
  close(r.i2, (12.805627705627707 - 5) / 12.805627705627707, 1e-12);
});

test('identical estimates give τ² 0 and the inverse-variance mean; one unit keeps its own interval', () => {
  const same = combineRandomEffects([2, 2, 2], [1, 2, 4]);
  assert.equal(same?.tau2, 0);
  close(same?.estimate ?? 0, 2, 1e-15);
  // Never narrower than the DerSimonian–Laird SE, even when the spread is 0.
  close(same?.se ?? 0, Math.sqrt(1 / (1 + 0.5 + 0.25)), 1e-12);
  const one = combineRandomEffects([3], [4]);
  close(one?.lo ?? 0, 3 - 1.959963984540054 * 2, 1e-12);
  assert.equal(combineRandomEffects([Number.NaN], [1]), null);
  assert.equal(combineRandomEffects([1], [0]), null);
});
