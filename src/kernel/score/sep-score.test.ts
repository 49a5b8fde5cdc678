// Unit and property tests of sepScore: range, no NaN, no floor, renormalisation over missing inputs,
// and monotonicity in each input alone (good inputs raise it, bad inputs lower it).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../../core/errors.ts';
import { DEFAULT_SEP_SCORE_OPTIONS, type SepScoreInput, sepScore } from './index.ts';

const HEALTHY: SepScoreInput = {
  coherence: 0.679,
  entropy: 0.05,
  rupture: 0,
  change_prob: 0.01,
  eff_norm: 0.5,
  stability_index: 0.9999,
  thermal_headroom_c: 15,
  latency_budget_ms: 150,
  reject_rate: 0.005,
  hashrate_ratio: 1,
};

const SICK: SepScoreInput = {
  coherence: 0,
  entropy: 1,
  rupture: 1,
  change_prob: 1,
  eff_norm: 0,
  stability_index: 0,
  thermal_headroom_c: -3,
  latency_budget_ms: 0,
  reject_rate: 0.2,
  hashrate_ratio: 0.5,
};

/** Good = higher input must not lower the score; bad = higher input must not raise it. */
const DIRECTION: Record<keyof SepScoreInput, 1 | -1> = {
  coherence: 1,
  entropy: -1,
  rupture: -1,
  change_prob: -1,
  eff_norm: 1,
  stability_index: 1,
  thermal_headroom_c: 1,
  latency_budget_ms: 1,
  reject_rate: -1,
  hashrate_ratio: 1,
};
const KEYS = Object.keys(DIRECTION) as (keyof SepScoreInput)[];

/** Realistic-to-wild values per input, with null (missing) allowed. */
const value = fc.oneof(
  fc.double({ min: -1, max: 2, noNaN: true }),
  fc.double({ min: -50, max: 500, noNaN: true }),
  fc.constantFrom(null, Number.NaN, Number.POSITIVE_INFINITY),
);
const input = fc.record(
  Object.fromEntries(KEYS.map((k) => [k, value])) as Record<keyof SepScoreInput, typeof value>,
);
const RUNS = { seed: 1729, numRuns: 600 };

test('a healthy steady rig scores in the 90s; a sick one scores 0 (no floor)', () => {
  const good = sepScore(HEALTHY).sep_score!;
  assert.ok(good > 90 && good <= 100, `${good}`);
  assert.equal(sepScore(SICK).sep_score, 0);
});

test('missing KPIs renormalise the weights; nothing present gives null', () => {
  const structureOnly: SepScoreInput = {
    ...HEALTHY,
    eff_norm: null,
    stability_index: null,
    thermal_headroom_c: null,
    latency_budget_ms: null,
    reject_rate: null,
    hashrate_ratio: null,
  };
  const r = sepScore(structureOnly);
  const w = DEFAULT_SEP_SCORE_OPTIONS.weights;
  const expected =
    (100 * (w.coherence * 0.679 + w.entropy * 0.95 + w.rupture * 1 + w.change_prob * 0.99)) /
    (w.coherence + w.entropy + w.rupture + w.change_prob);
  assert.ok(Math.abs(r.sep_score! - expected) < 1e-9);
  assert.ok(Math.abs(r.weight_present - 0.5) < 1e-12);
  assert.deepEqual(Object.keys(r.components).sort(), ['change_prob', 'coherence', 'entropy', 'rupture']);
  const none = Object.fromEntries(KEYS.map((k) => [k, null])) as unknown as SepScoreInput;
  assert.equal(sepScore(none).sep_score, null);
});

test('bad options throw RT_KERNEL_ARGUMENT', () => {
  const bad = {
    ...DEFAULT_SEP_SCORE_OPTIONS,
    weights: { ...DEFAULT_SEP_SCORE_OPTIONS.weights, rupture: -1 },
  };
  assert.throws(
    () => sepScore(HEALTHY, bad),
    (e) => isRigtuneError(e, 'RT_KERNEL_ARGUMENT'),
  );
  assert.throws(
    () => sepScore(HEALTHY, { ...DEFAULT_SEP_SCORE_OPTIONS, reject_rate_sat: 0 }),
    (e) => isRigtuneError(e, 'RT_KERNEL_ARGUMENT'),
  );
});

test('property: sep_score is in [0, 100] or null, never NaN; components in [0, 1]', () => {
  fc.assert(
    fc.property(input, (x) => {
      const r = sepScore(x);
      if (r.sep_score !== null) assert.ok(r.sep_score >= 0 && r.sep_score <= 100, `${r.sep_score}`);
      for (const g of Object.values(r.components)) assert.ok(g >= 0 && g <= 1);
      assert.ok(r.weight_present >= 0 && r.weight_present <= 1);
    }),
    RUNS,
  );
});

for (const key of KEYS) {
  const word = DIRECTION[key] > 0 ? 'non-decreasing' : 'non-increasing';
  test(`property: sep_score is ${word} in ${key} with the other inputs fixed`, () => {
    const v = fc.double({ min: -50, max: 500, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(input, v, v, (x, a, b) => {
        const lo = sepScore({ ...x, [key]: Math.min(a, b) }).sep_score!;
        const hi = sepScore({ ...x, [key]: Math.max(a, b) }).sep_score!;
        assert.ok(DIRECTION[key] > 0 ? hi >= lo : hi <= lo, `${key}: ${lo} -> ${hi}`);
      }),
      RUNS,
    );
  });
}
