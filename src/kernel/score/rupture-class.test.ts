// Unit and property tests of the rupture-class rule: λ = 1 − (1 − R)(1 − p), the class cut points,
// collapse handling, monotonicity in R and p, and the exporter codes 0..3.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  classifyRupture,
  DEFAULT_RUPTURE_THRESHOLDS,
  lambdaHazard,
  RUPTURE_CLASSES,
  type RuptureClass,
  ruptureClassCode,
} from './index.ts';

const rank = (c: RuptureClass): number => RUPTURE_CLASSES.indexOf(c);
const unit = fc.double({ min: 0, max: 1, noNaN: true });
const RUNS = { seed: 314159, numRuns: 800 };

test('lambdaHazard: probabilistic OR, one-sided when an input is missing', () => {
  assert.ok(Math.abs(lambdaHazard(0.2, 0.5)! - 0.6) < 1e-12);
  assert.equal(lambdaHazard(0.2, null), 0.2);
  assert.equal(lambdaHazard(null, 0.7), 0.7);
  assert.equal(lambdaHazard(null, null), null);
  assert.equal(lambdaHazard(1.4, -0.2), 1);
});

test('class cut points at the defaults', () => {
  const c = (rupture: number | null, change_prob: number | null, collapse?: boolean) =>
    classifyRupture({ rupture, change_prob, collapse });
  assert.equal(c(0, 0), 'none');
  assert.equal(c(0.1, 0.1), 'none'); // λ = 0.19
  assert.equal(c(0.3, null), 'micro');
  assert.equal(c(null, 0.55), 'micro'); // a confirmed change on a healthy device
  assert.equal(c(0.1, 0.9), 'micro');
  assert.equal(c(0.45, 0.2), 'meso');
  assert.equal(c(0.25, 0.6), 'meso'); // unhealthy and changing
  assert.equal(c(0.65, 0), 'macro');
  assert.equal(c(0.45, 0.6), 'macro');
});

test('collapse: meso on its own, macro once the detector confirms a change', () => {
  assert.equal(classifyRupture({ rupture: 0.5, change_prob: 0 }), 'meso');
  assert.equal(classifyRupture({ rupture: 0.5, change_prob: 0.5 }), 'macro');
  assert.equal(classifyRupture({ rupture: 0.1, change_prob: 0.6, collapse: true }), 'macro');
  assert.equal(classifyRupture({ rupture: 0.55, change_prob: null, collapse: false }), 'meso');
  assert.equal(classifyRupture({ rupture: null, change_prob: null }), 'none');
});

test('thresholds are an input: a stricter rig config flags earlier', () => {
  const strict = { ...DEFAULT_RUPTURE_THRESHOLDS, micro: 0.1 };
  assert.equal(classifyRupture({ rupture: 0.15, change_prob: null }, strict), 'micro');
});

test('ruptureClassCode: none/micro/meso/macro = 0/1/2/3', () => {
  assert.deepEqual(RUPTURE_CLASSES.map(ruptureClassCode), [0, 1, 2, 3]);
});

test('property: λ in [0, 1], ≥ max(R, p), monotone in both', () => {
  fc.assert(
    fc.property(unit, unit, unit, (r, p, q) => {
      const l = lambdaHazard(r, p)!;
      assert.ok(l >= 0 && l <= 1 && l >= Math.max(r, p) - 1e-15);
      assert.ok(lambdaHazard(Math.max(r, q), p)! >= lambdaHazard(Math.min(r, q), p)!);
      assert.ok(lambdaHazard(r, Math.max(p, q))! >= lambdaHazard(r, Math.min(p, q))!);
    }),
    RUNS,
  );
});

test('property: class is monotone in R and in p (collapse derived or fixed)', () => {
  const collapse = fc.constantFrom(undefined, true, false);
  const maybe = fc.option(unit, { nil: null });
  fc.assert(
    fc.property(unit, unit, maybe, maybe, collapse, (a, b, r, p, col) => {
      const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
      const byR = [lo, hi].map((x) => rank(classifyRupture({ rupture: x, change_prob: p, collapse: col })));
      const byP = [lo, hi].map((x) => rank(classifyRupture({ rupture: r, change_prob: x, collapse: col })));
      assert.ok(byR[1] >= byR[0], `R ${lo}->${hi}`);
      assert.ok(byP[1] >= byP[0], `p ${lo}->${hi}`);
    }),
    RUNS,
  );
});
