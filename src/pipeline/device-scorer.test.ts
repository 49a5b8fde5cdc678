// Tests of DeviceScorer: the tick's shape and null rules, health-bit polarity, counter resets, the
// channel auto-selection, events from one channel and merged across channels, flush, bad input, determinism.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRigtuneError } from '../core/errors.ts';
import { emptySnapshot, type Snapshot, type SnapshotValues } from '../core/snapshot.ts';
import { detectChangePoints } from '../kernel/changepoint/index.ts';
import { lambdaHazard } from '../kernel/score/index.ts';
import { DeviceScorer, type ScoredSample } from './device-scorer.ts';
import { FIXTURE_START_MS, FixtureRng, fixtureRig } from './fixture-rig.ts';
import type { RuptureEvent, ScoreTick } from './types.ts';

const T0 = FIXTURE_START_MS;
const tsOf = (i: number) => T0 + i * 1000;

function snap(i: number, values: Partial<SnapshotValues>, device = 'gpu0'): Snapshot {
  return { ...emptySnapshot(tsOf(i), 'rig-a', device), ...values };
}

/** A healthy GPU reading at sample i (noise from rng), with optional overrides. */
function gpu(i: number, rng: FixtureRng, over: Partial<SnapshotValues> = {}): Snapshot {
  return snap(i, {
    hashrate_5s: 120e6 * (1 + 0.005 * rng.normal()),
    hashrate_1m: 120e6,
    hashrate_expected: 120e6,
    power_w: 214 + rng.normal(),
    power_limit_w: 220,
    temp_core_c: 60,
    temp_mem_c: 70,
    temp_target_c: 83,
    fan_pct: 60,
    fan_rpm: 1800,
    clock_core_mhz: 1755,
    clock_mem_mhz: 7000,
    util_pct: 100,
    stratum_latency_ms: 45 + rng.normal(),
    accepted_shares: i,
    rejected_shares: 0,
    stale_shares: 0,
    diff_accepted: i * 1e9,
    diff_rejected: 0,
    diff_stale: 0,
    throttle_flags: 0,
    ...over,
  });
}

function scoreAll(snaps: readonly Snapshot[], scorer = new DeviceScorer()) {
  const ticks: ScoreTick[] = [];
  const events: RuptureEvent[] = [];
  for (const s of snaps) {
    const r: ScoredSample = scorer.push(s);
    ticks.push(r.tick);
    events.push(...r.events);
  }
  events.push(...scorer.flush());
  return { ticks, events };
}

const TICK_KEYS = [
  'type',
  'ts',
  'rig',
  'device',
  'samples',
  'health_bit',
  'health_reasons',
  'structure',
  'change_prob',
  'lambda_hazard',
  'kpis',
  'sep_score',
  'rupture_class',
  'channels_changing',
  'channels',
  'counter_resets',
];

test('tick shape: keys, identity, sample count; health and structure null at first', () => {
  const rng = new FixtureRng(1);
  const { ticks } = scoreAll(Array.from({ length: 40 }, (_, i) => gpu(i, rng)));
  ticks.forEach((t, i) => {
    assert.deepEqual(Object.keys(t), TICK_KEYS);
    assert.equal(t.type, 'tick');
    assert.equal(t.ts, tsOf(i));
    assert.equal(t.rig, 'rig-a');
    assert.equal(t.device, 'gpu0');
    assert.equal(t.samples, i + 1);
    assert.equal(t.structure === null, i + 1 < 16, `sample ${i + 1}`);
    if (t.structure !== null) assert.equal(t.structure.n, Math.min(i, 31));
    assert.deepEqual(Object.keys(t.kpis), [
      'efficiency_h_per_j',
      'efficiency_j_per_th',
      'reject_rate',
      'reject_rate_ci95',
      'shares_in_window',
      'thermal_headroom_c',
      'latency_budget_ms',
      'stability_index',
      'eff_norm',
      'hashrate_ratio',
    ]);
    const probs = Object.values(t.channels).map((c) => c.change_prob);
    assert.equal(t.change_prob, Math.max(0, ...probs));
    assert.deepEqual(
      t.channels_changing,
      Object.entries(t.channels)
        .filter(([, c]) => c.change_prob >= 0.5)
        .map(([n]) => n),
    );
    assert.equal(t.lambda_hazard, lambdaHazard(t.structure?.rupture ?? null, t.change_prob) ?? 0);
    assert.ok(t.sep_score !== null && t.sep_score >= 0 && t.sep_score <= 100);
  });
  assert.equal(ticks[0].health_bit, null);
  assert.deepEqual(ticks[0].health_reasons, []);
  assert.equal(ticks[1].health_bit, 0);
  assert.equal(ticks[39].rupture_class, 'none');
});

test('health bit polarity: 1 = unhealthy, with the reasons; sustained trouble is rupture', () => {
  const rng = new FixtureRng(2);
  const snaps = Array.from({ length: 80 }, (_, i) =>
    i < 40 ? gpu(i, rng) : gpu(i, rng, { hashrate_5s: 90e6, hashrate_1m: 90e6, throttle_flags: 0x40 }),
  );
  const { ticks } = scoreAll(snaps);
  assert.ok(ticks.slice(1, 40).every((t) => t.health_bit === 0));
  assert.equal(ticks[40].health_bit, 1);
  assert.ok(ticks[40].health_reasons.includes('hashrate_drop'));
  assert.ok(ticks[40].health_reasons.includes('throttled'));
  assert.ok(ticks.slice(40).every((t) => t.health_reasons.includes('throttled') && t.health_bit === 1));
  assert.ok(ticks[39].structure!.rupture === 0);
  assert.ok(ticks[79].structure!.rupture >= 0.9);
  assert.ok(ticks[79].sep_score! < ticks[39].sep_score!);
  assert.notEqual(ticks[79].rupture_class, 'none');
});

test('an operator power cap (throttle flag 0x4) is not unhealthy', () => {
  const rng = new FixtureRng(3);
  const { ticks } = scoreAll(Array.from({ length: 20 }, (_, i) => gpu(i, rng, { throttle_flags: 0x4 })));
  assert.ok(ticks.slice(1).every((t) => t.health_bit === 0));
});

test('a counter reset is listed in counter_resets and never gives a negative reject rate', () => {
  const rng = new FixtureRng(4);
  const snaps = Array.from({ length: 60 }, (_, i) =>
    gpu(i, rng, {
      accepted_shares: i < 30 ? 1000 + i : i - 30,
      rejected_shares: i < 30 ? 50 : 0,
      diff_accepted: (i < 30 ? 1000 + i : i - 30) * 1e9,
      diff_rejected: i < 30 ? 50e9 : 0,
    }),
  );
  const { ticks } = scoreAll(snaps);
  assert.deepEqual(ticks[30].counter_resets, [
    'accepted_shares',
    'rejected_shares',
    'diff_accepted',
    'diff_rejected',
  ]);
  assert.ok(ticks.every((t, i) => i === 30 || t.counter_resets.length === 0));
  for (const t of ticks) {
    if (t.kpis.reject_rate !== null) assert.ok(t.kpis.reject_rate >= 0 && t.kpis.reject_rate <= 1);
    if (t.kpis.shares_in_window !== null) assert.ok(t.kpis.shares_in_window >= 0);
  }
  assert.equal(ticks[59].kpis.reject_rate, 0);
  assert.equal(ticks[59].kpis.shares_in_window, 58); // 29 + 29 deltas; the reset step has none
});

test('missing fields stay null: a power-only device has one channel and null KPIs', () => {
  const rng = new FixtureRng(5);
  const { ticks } = scoreAll(Array.from({ length: 30 }, (_, i) => snap(i, { power_w: 100 + rng.normal() })));
  const t = ticks[29];
  assert.deepEqual(Object.keys(t.channels), ['power_w']);
  assert.deepEqual(t.kpis, {
    efficiency_h_per_j: null,
    efficiency_j_per_th: null,
    reject_rate: null,
    reject_rate_ci95: null,
    shares_in_window: null,
    thermal_headroom_c: null,
    latency_budget_ms: null,
    stability_index: null,
    eff_norm: null,
    hashrate_ratio: null,
  });
  assert.ok(ticks.slice(1).every((x) => x.health_bit === 0));
  const empty = scoreAll([snap(0, {}), snap(1, {})]).ticks;
  assert.deepEqual(empty[1].channels, {});
  assert.equal(empty[1].change_prob, 0);
});

test('auto channels: present gauges but set-points and duplicates (hashrate_1m, fan_pct), plus efficiency and reject_rate', () => {
  const rng = new FixtureRng(6);
  const full = scoreAll(Array.from({ length: 5 }, (_, i) => gpu(i, rng))).ticks[4];
  assert.deepEqual(Object.keys(full.channels), [
    'hashrate_5s',
    'power_w',
    'temp_core_c',
    'temp_mem_c',
    'fan_rpm',
    'clock_core_mhz',
    'stratum_latency_ms',
    'efficiency_h_per_j',
    'reject_rate',
  ]);
  // A fan that reports only its duty is watched on it; listed channels are watched as asked.
  const dutyOnly = scoreAll(Array.from({ length: 5 }, (_, i) => gpu(i, rng, { fan_rpm: null }))).ticks[4];
  assert.ok('fan_pct' in dutyOnly.channels && !('fan_rpm' in dutyOnly.channels));
  const listed = scoreAll(
    Array.from({ length: 5 }, (_, i) => gpu(i, rng)),
    new DeviceScorer({ channels: ['fan_pct', 'fan_rpm', 'util_pct', 'clock_mem_mhz'] }),
  ).ticks[4];
  assert.deepEqual(Object.keys(listed.channels), ['fan_pct', 'fan_rpm', 'util_pct', 'clock_mem_mhz']);
  const slow = scoreAll(
    Array.from({ length: 5 }, (_, i) => gpu(i, rng, { hashrate_5s: null, hashrate_1m: 120e6 + i })),
  ).ticks[4];
  assert.deepEqual(Object.keys(slow.channels).slice(0, 2), ['hashrate_1m', 'power_w']);
  assert.ok('efficiency_h_per_j' in slow.channels);
  // Once hashrate_5s has a channel, a sample without it does not start hashrate_1m.
  const gap = scoreAll([gpu(0, rng), gpu(1, rng, { hashrate_5s: null })]).ticks[1];
  assert.ok(!('hashrate_1m' in gap.channels));
});

test('a channel starts at its first reading and then stays', () => {
  const rng = new FixtureRng(7);
  const snaps = Array.from({ length: 30 }, (_, i) =>
    snap(i, { power_w: 100 + rng.normal(), temp_core_c: i < 10 || i === 20 ? null : 60 + rng.normal() }),
  );
  const { ticks } = scoreAll(snaps);
  assert.deepEqual(Object.keys(ticks[9].channels), ['power_w']);
  assert.deepEqual(Object.keys(ticks[10].channels), ['power_w', 'temp_core_c']);
  assert.deepEqual(Object.keys(ticks[20].channels), ['power_w', 'temp_core_c']);
});

test('explicit channels: only those are watched', () => {
  const rng = new FixtureRng(8);
  const scorer = new DeviceScorer({ channels: ['power_w', 'temp_inlet_c', 'efficiency_h_per_j'] });
  const { ticks } = scoreAll(
    Array.from({ length: 5 }, (_, i) => gpu(i, rng)),
    scorer,
  );
  assert.deepEqual(Object.keys(ticks[4].channels), ['power_w', 'efficiency_h_per_j']);
});

test('a clear step in one channel gives one event with that channel at the detector start', () => {
  const rng = new FixtureRng(9);
  const values = Array.from({ length: 300 }, (_, i) => (i < 200 ? 100 : 140) + rng.normal());
  const { ticks, events } = scoreAll(values.map((v, i) => snap(i, { power_w: v })));
  const cps = detectChangePoints(values);
  assert.equal(cps.length, 1);
  assert.equal(events.length, 1);
  const e = events[0];
  assert.deepEqual(e.channels, ['power_w']);
  assert.equal(e.ts_start, tsOf(cps[0].startIndex));
  assert.equal(e.ts_detected, tsOf(cps[0].detectedIndex));
  assert.equal(e.hazard, cps[0].hazard);
  assert.ok(Math.abs(cps[0].startIndex - 200) <= 1);
  assert.equal(e.rig, 'rig-a');
  assert.equal(e.device, 'gpu0');
  assert.ok(ticks[cps[0].detectedIndex].change_prob >= 0.5);
  assert.deepEqual(ticks[cps[0].detectedIndex].channels_changing, ['power_w']);
});

test('a channel that starts late counts its samples from the device start', () => {
  const rng = new FixtureRng(10);
  const snaps = Array.from({ length: 300 }, (_, i) =>
    snap(i, { power_w: 100 + rng.normal(), temp_core_c: i < 40 ? null : (i < 200 ? 60 : 75) + rng.normal() }),
  );
  const { events } = scoreAll(snaps);
  assert.equal(events.length, 1);
  assert.deepEqual(events[0].channels, ['temp_core_c']);
  assert.ok(Math.abs(events[0].ts_start - tsOf(200)) <= 1000);
});

test('steps in two channels at once merge into one event; flush closes an open one', () => {
  const rng = new FixtureRng(11);
  const snaps = Array.from({ length: 300 }, (_, i) =>
    snap(i, {
      power_w: (i < 200 ? 100 : 140) + rng.normal(),
      temp_core_c: (i < 200 ? 60 : 70) + rng.normal(),
    }),
  );
  const { events } = scoreAll(snaps);
  assert.equal(events.length, 1);
  assert.deepEqual([...events[0].channels].sort(), ['power_w', 'temp_core_c']);
  // Ending right after the declaration: the event comes from flush.
  const scorer = new DeviceScorer();
  let during = 0;
  for (const s of snaps.slice(0, 204)) during += scorer.push(s).events.length;
  assert.equal(during, 0);
  const flushed = scorer.flush();
  assert.equal(flushed.length, 1);
  assert.deepEqual(scorer.flush(), []);
});

test('time going backwards throws RT_INPUT_TIME and changes nothing', () => {
  const rng = new FixtureRng(12);
  const snaps = Array.from({ length: 60 }, (_, i) => gpu(i, rng));
  const clean = scoreAll(snaps);
  const scorer = new DeviceScorer();
  const ticks: ScoreTick[] = [];
  for (let i = 0; i < snaps.length; i += 1) {
    if (i === 30) {
      assert.throws(
        () => scorer.push(snaps[10]),
        (e) => isRigtuneError(e) && e.code === 'RT_INPUT_TIME',
      );
    }
    ticks.push(scorer.push(snaps[i]).tick);
  }
  assert.deepEqual(ticks, clean.ticks);
});

test('channelDetail adds the four flag streams per channel', () => {
  const rng = new FixtureRng(13);
  const { ticks } = scoreAll(
    Array.from({ length: 20 }, (_, i) => gpu(i, rng)),
    new DeviceScorer({ channelDetail: true }),
  );
  assert.equal(ticks[10].channels.power_w.flags, undefined);
  assert.deepEqual(Object.keys(ticks[19].channels.power_w.flags ?? {}), ['UP', 'ACCEL', 'RANGEEXP', 'ZPOS']);
});

test('window options reach the health window', () => {
  const rng = new FixtureRng(14);
  const { ticks } = scoreAll(
    Array.from({ length: 40 }, (_, i) => gpu(i, rng)),
    new DeviceScorer({ windowBits: 8, minSamples: 4 }),
  );
  assert.equal(ticks[2].structure, null);
  assert.equal(ticks[3].structure?.n, 3);
  assert.equal(ticks[39].structure?.n, 8);
});

test('deterministic: the same input gives the same ticks and events', () => {
  const snaps = fixtureRig(3, {
    seconds: 300,
    fanFailS: 100,
    latencyFromS: 150,
    latencyToS: 200,
    restartS: 250,
  });
  const gpu1 = snaps.filter((s) => s.device === 'gpu1');
  assert.deepEqual(scoreAll(gpu1), scoreAll(gpu1));
});
