// Conformance of the V3 legacy scorer (kernel/score/v3-legacy) against telemetry-score-vectors.json:
// KPIs, floored sep_score and rupture flag of every step of both scenarios (sep-reference.md §5.3).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { scoreV3Window, V3_LOOKBACK, type V3Snapshot } from '../../src/kernel/score/index.ts';

interface Step {
  t_index: number;
  window_snapshots: number;
  coherence: number;
  stability: number;
  entropy: number;
  rupture: number;
  lambda_hazard: number;
  efficiency: number;
  reject_rate: number;
  thermal_headroom: number;
  stability_index: number;
  latency_budget_ms: number;
  sep_score: number;
  rupture_flag: string;
}

interface Scenario {
  name: string;
  temp_throttle_c: number;
  snapshots: V3Snapshot[];
  steps: Step[];
}

const FILE = JSON.parse(
  readFileSync(new URL('../../../shared/vectors/telemetry-score-vectors.json', import.meta.url), 'utf8'),
) as { scenarios: Scenario[] };

/**
 * stability_index is compared within 1e-15 relative (a few ulp), everything else exactly: V3 squares
 * with Python's `x ** 2`, i.e. libm pow(), which misrounds some exact half-ulp ties of x·x by one
 * ulp (glibc pow is accurate to ~0.52 ulp, not correctly rounded). The effect on the ~1e-17 index is
 * ~1e-33 and never reaches sep_score, which is compared exactly.
 */
function assertRelClose(actual: number, expected: number, message: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-15 * Math.abs(expected),
    `${message}: ${actual} vs ${expected}`,
  );
}

/** The runtime loop of the vectors: at snapshot t the window is the last ≤ 32 snapshots. */
function windowAt(s: Scenario, t: number): V3Snapshot[] {
  return s.snapshots.slice(Math.max(0, t - (V3_LOOKBACK - 1)), t + 1);
}

test('telemetry-score vectors: two scenarios of 85 scored steps each', () => {
  assert.deepEqual(
    FILE.scenarios.map((s) => s.steps.length),
    [85, 85],
  );
});

for (const s of FILE.scenarios) {
  test(`${s.name}: no score while the window holds fewer than 16 snapshots`, () => {
    for (let t = 0; t < 15; t++) {
      assert.equal(scoreV3Window(windowAt(s, t), s.steps[0], s.temp_throttle_c), null);
    }
  });

  test(`${s.name}: KPIs, sep_score and rupture flag exact at every step`, () => {
    for (const step of s.steps) {
      const window = windowAt(s, step.t_index);
      assert.equal(window.length, step.window_snapshots);
      const got = scoreV3Window(window, step, s.temp_throttle_c);
      assert.ok(got, `t=${step.t_index}`);
      const at = `${s.name} t=${step.t_index}`;
      assert.equal(got.kpis.efficiency, step.efficiency, `${at} efficiency`);
      assert.equal(got.kpis.reject_rate, step.reject_rate, `${at} reject_rate`);
      assert.equal(got.kpis.thermal_headroom, step.thermal_headroom, `${at} thermal_headroom`);
      assertRelClose(got.kpis.stability_index, step.stability_index, `${at} stability_index`);
      assert.equal(got.kpis.latency_budget_ms, step.latency_budget_ms, `${at} latency_budget_ms`);
      assert.equal(got.sep_score, step.sep_score, `${at} sep_score`);
      assert.equal(got.rupture_flag, step.rupture_flag, `${at} rupture_flag`);
    }
  });

  test(`${s.name}: the known V3 defects are reproduced (stability_index ~1e-17)`, () => {
    for (const step of s.steps) {
      const got = scoreV3Window(windowAt(s, step.t_index), step, s.temp_throttle_c)!;
      assert.ok(got.kpis.stability_index < 1e-15, 'H/s variance makes the index vanish');
      assert.ok(got.sep_score >= 50, 'the floor of 50 holds');
    }
  });
}

test('synthetic_degrade_recover: the floor hides the degradation (sep_score pinned at 50)', () => {
  const s = FILE.scenarios.find((x) => x.name === 'synthetic_degrade_recover')!;
  const floored = s.steps.filter((step) => step.sep_score === 50);
  assert.ok(floored.length > 0);
  for (const step of floored) {
    const got = scoreV3Window(windowAt(s, step.t_index), step, s.temp_throttle_c)!;
    assert.equal(got.sep_score, 50);
  }
});
