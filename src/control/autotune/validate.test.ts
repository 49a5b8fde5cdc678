// Tests of samples, window summaries and the validation verdict: efficiency gain/loss with noise
// (seeded), insufficient data, a reject storm, an HW-error burst, a temperature over its limit, and
// cooling moves judged against their baseline.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptySnapshot, type Snapshot } from '../../core/snapshot.ts';
import { DEFAULT_AUTOTUNE_OPTIONS } from './options.ts';
import { validationSettings } from './rig-core.ts';
import { type DeviceSample, summarize, toSample } from './samples.ts';
import { sampleSnapshot } from './test-kit.ts';
import { isCoolingMove, temperatureBreach, validateAction } from './validate.ts';

const T0 = 1_700_000_000_000;
const S = validationSettings(DEFAULT_AUTOTUNE_OPTIONS);

/** mulberry32, uniform in [0, 1). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Regime {
  eff: number;
  noise: number;
  sharesPerS: number;
  rejectP: number;
  hwPerS: number;
  temp: number;
}

/** `n` one-second samples from `t0` of a device in regime `r` (seeded). */
function series(
  seed: number,
  t0: number,
  n: number,
  r: Regime,
  start = { acc: 0, rej: 0, hw: 0 },
): DeviceSample[] {
  const u = rng(seed);
  const c = { ...start };
  let prev: Snapshot | null = null;
  const out: DeviceSample[] = [];
  for (let i = 0; i <= n; i++) {
    if (u() < r.sharesPerS) u() < r.rejectP ? c.rej++ : c.acc++;
    if (u() < r.hwPerS) c.hw++;
    const power = 300;
    const hashrate = r.eff * power * (1 + r.noise * (u() + u() + u() - 1.5));
    const s = sampleSnapshot('r', 'g', t0 + i * 1000, {
      hashrate,
      power,
      accepted: c.acc,
      rejected: c.rej,
      hw: c.hw,
      temp: r.temp,
    });
    if (i > 0) out.push(toSample(prev, s));
    prev = s;
  }
  return out;
}

const BASE: Regime = { eff: 400_000, noise: 0.01, sharesPerS: 0.5, rejectP: 0.005, hwPerS: 0.001, temp: 65 };
const PRE_END = T0 + 300_000;

function verdict(post: Regime, seed = 1, pre: Regime = BASE, cooling = false) {
  const preS = summarize(series(seed, T0, 300, pre), T0, PRE_END, 30_000);
  const postS = summarize(series(seed + 1, PRE_END, 300, post), PRE_END, PRE_END + 300_000, 30_000);
  return validateAction(preS, postS, S, cooling);
}

test('toSample: efficiency and counter deltas; a counter reset gives null, not a negative count', () => {
  const a = sampleSnapshot('r', 'g', T0, { hashrate: 1e8, power: 250, accepted: 10, rejected: 1, hw: 5 });
  const b = sampleSnapshot('r', 'g', T0 + 2000, {
    hashrate: 1e8,
    power: 200,
    accepted: 13,
    rejected: 2,
    hw: 2,
  });
  const s = toSample(a, b);
  assert.deepEqual([s.efficiencyHPerJ, s.shares, s.rejected, s.hwErrors, s.dtS], [500_000, 4, 1, null, 2]);
  const first = toSample(null, a);
  assert.deepEqual([first.shares, first.dtS], [null, null]);
  assert.equal(toSample(null, emptySnapshot(T0, 'r', 'g')).efficiencyHPerJ, null);
});

test('summarize: blocks in time, sums of usable counts, hottest block mean', () => {
  const samples = series(3, T0, 120, { ...BASE, temp: 70 });
  const w = summarize(samples, T0, T0 + 120_000, 30_000);
  assert.equal(w.samples, 120);
  assert.equal(w.efficiencyBlocks.length, 4);
  assert.equal(w.hwSeconds, 120);
  assert.equal(w.maxBlockTempC.temp_core_c, 70);
  assert.equal(w.maxBlockTempC.temp_mem_c, null);
  assert.equal(summarize(samples, T0 + 500_000, T0 + 600_000, 30_000).efficiencyBlocks.length, 0);
});

test('a real efficiency gain commits and counts as improved', () => {
  const v = verdict({ ...BASE, eff: 400_000 * 1.03 });
  assert.equal(v.decision, 'commit', v.reasons.join('; '));
  assert.equal(v.improved, true);
  assert.ok(v.efficiency !== null && Math.abs(v.efficiency.diff_rel - 0.03) < 0.005);
});

test('no change commits (non-inferior) but is not an improvement', () => {
  const v = verdict(BASE);
  assert.equal(v.decision, 'commit', v.reasons.join('; '));
  assert.equal(v.improved, false);
});

test('an efficiency loss beyond the margin rolls back', () => {
  const v = verdict({ ...BASE, eff: 400_000 * 0.96 });
  assert.equal(v.decision, 'rollback');
  assert.match(v.reasons[0], /efficiency may have dropped: -(3\.9|4\.0)\d %/);
  assert.deepEqual(v.failed_tests, ['efficiency']);
});

test('too few blocks roll back (fail closed)', () => {
  const pre = summarize(series(1, T0, 300, BASE), T0, PRE_END, 30_000);
  const post = summarize(series(2, PRE_END, 60, BASE), PRE_END, PRE_END + 300_000, 30_000);
  const v = validateAction(pre, post, S);
  assert.equal(v.decision, 'rollback');
  assert.match(v.reasons[0], /insufficient efficiency data \(10 and 2 blocks, 4 needed\)/);
  assert.deepEqual(v.failed_tests, ['insufficient_data']);
});

test('a reject storm and an HW-error burst roll back with their p-values', () => {
  const rej = verdict({ ...BASE, rejectP: 0.2 });
  assert.equal(rej.decision, 'rollback');
  assert.ok(rej.rejects.p_value < 1e-6);
  assert.ok(rej.reasons.some((r) => r.startsWith('reject share rose')));
  const hw = verdict({ ...BASE, hwPerS: 0.1 });
  assert.equal(hw.decision, 'rollback');
  assert.ok(hw.reasons.some((r) => r.startsWith('HW-error rate rose')));
  assert.ok(hw.hw_errors.p_value < 1e-6);
  assert.deepEqual([rej.failed_tests, hw.failed_tests], [['rejects'], ['hw_errors']]);
});

test('a temperature over its limit rolls back; the early check sees the latest block', () => {
  const v = verdict({ ...BASE, temp: 88 });
  assert.equal(v.decision, 'rollback');
  assert.deepEqual(v.failed_tests, ['temperature']);
  assert.deepEqual(v.temps_c.temp_core_c, { max_block: 88, baseline_max_block: 65, limit: 83 });
  const base = summarize(series(4, T0, 300, BASE), T0, PRE_END, 30_000);
  const latest = summarize(series(5, T0, 30, { ...BASE, temp: 90 }), T0, T0 + 30_000, 30_000);
  assert.equal(temperatureBreach(latest, base, S), 'temp_core_c reached 90.0 °C (limit 83 °C)');
  const off = { ...S, tempLimitsC: { ...S.tempLimitsC, temp_core_c: null } };
  assert.equal(temperatureBreach(latest, base, off), null);
});

test('cooling moves by direction: fan up; power, clocks and profile down', () => {
  assert.equal(isCoolingMove('fan_pct', 60, 70), true);
  assert.equal(isCoolingMove('fan_pct', 70, 60), false);
  for (const kind of ['power_limit_w', 'clock_core_max_mhz', 'clock_mem_max_mhz', 'profile_step'] as const) {
    assert.equal(isCoolingMove(kind, 300, 280), true, kind);
    assert.equal(isCoolingMove(kind, 280, 300), false, kind);
  }
});

test('a cooling move on a hot device is judged against its baseline, up to the hard limit', () => {
  const hot = { ...BASE, temp: 86 };
  // Over the 83 °C limit before and after: an ordinary move rolls back, a cooling one that helps commits.
  assert.equal(verdict({ ...hot, temp: 85 }, 1, hot).decision, 'rollback');
  const helped = verdict({ ...hot, temp: 85 }, 1, hot, true);
  assert.equal(helped.decision, 'commit', helped.reasons.join('; '));
  assert.equal(helped.cooling, true);
  assert.deepEqual(helped.temps_c.temp_core_c, { max_block: 85, baseline_max_block: 86, limit: 83 });
  assert.equal(verdict({ ...hot, temp: 86.8 }, 1, hot, true).decision, 'commit', 'within the 1 °C margin');
  const hotter = verdict({ ...hot, temp: 87.5 }, 1, hot, true);
  assert.equal(hotter.decision, 'rollback');
  assert.match(hotter.reasons[0], /temp_core_c reached 87\.5 °C \(limit 83 °C\), hotter than the 86\.0 °C/);
  const hard = verdict({ ...hot, temp: 88.5 }, 1, { ...hot, temp: 92 }, true);
  assert.deepEqual(
    [hard.decision, hard.reasons[0]],
    ['rollback', 'temp_core_c reached 88.5 °C (hard limit 88 °C)'],
  );
  assert.equal(verdict({ ...BASE, temp: 80 }, 1, hot, true).decision, 'commit', 'under the limit');
  // Early: the same rule on the latest block.
  const base = summarize(series(4, T0, 300, hot), T0, PRE_END, 30_000);
  const block = (temp: number) => summarize(series(5, T0, 30, { ...hot, temp }), T0, T0 + 30_000, 30_000);
  assert.equal(temperatureBreach(block(85.5), base, S, true), null);
  assert.match(temperatureBreach(block(85.5), base, S) ?? '', /limit 83 °C/);
  assert.match(temperatureBreach(block(89), base, S, true) ?? '', /hard limit 88 °C/);
});

test('false rollbacks are rare on an unchanged device (seeded repetitions)', () => {
  let rollbacks = 0;
  for (let seed = 10; seed < 210; seed += 2) if (verdict(BASE, seed).decision === 'rollback') rollbacks++;
  assert.ok(rollbacks <= 3, `${rollbacks} of 100 unchanged devices rolled back`);
});
