// Unit tests of the V3 legacy reference (full conformance lives in test/conformance/telemetry-score).
// Pins the defects it keeps on purpose, so nobody "fixes" the reference by accident.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { v3EffNorm, v3RuptureFlag, v3SepScore } from './index.ts';

const KPIS = {
  efficiency: 0.25,
  reject_rate: 0.01,
  thermal_headroom: 20,
  stability_index: 1e-17,
  latency_budget_ms: 100,
  eff_norm: 0.5,
};

test('V3 sep_score never goes below its floor of 50, even for a hopeless window', () => {
  const metrics = { coherence: 0, stability: 0, entropy: 1, rupture: 1, lambda_hazard: 1 };
  assert.equal(v3SepScore(metrics, { ...KPIS, eff_norm: 0, thermal_headroom: 0, latency_budget_ms: 0 }), 50);
  assert.ok(v3SepScore(metrics, KPIS, 0) === 0);
});

test('V3 eff_norm: an absolute MAD floor of 1e-6 saturates any change on a flat history', () => {
  assert.equal(v3EffNorm(0.25, [0.25, 0.25, 0.25]), 0.5);
  assert.equal(v3EffNorm(0.2499, [0.25, 0.25, 0.25]), 0); // a 0.04 % dip is "z = −4"
  assert.equal(v3EffNorm(1, []), 0.5);
});

test('V3 rupture flag with λ = R', () => {
  assert.deepEqual(
    [0, 0.2, 0.4, 0.6].map((r) => v3RuptureFlag(r, r)),
    ['none', 'micro', 'meso', 'macro'],
  );
});
