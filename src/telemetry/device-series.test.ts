// Tests of DeviceSeries: derived snapshots (EMA, rates, resets), history aligned at the newest end,
// staleness, and the time and identity checks.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../core/errors.ts';
import { emptySnapshot, type Snapshot, type SnapshotValues } from '../core/snapshot.ts';
import { DeviceSeries } from './device-series.ts';

function snap(ts: number, values: Partial<SnapshotValues>, device = 'gpu0'): Snapshot {
  return { ...emptySnapshot(ts, 'rig-a', device), ...values };
}

test('derives EMA, EMA delta, counter rate and delta per snapshot', () => {
  const series = new DeviceSeries({ emaTauS: 0 });
  const first = series.push(snap(0, { power_w: 200, accepted_shares: 10 }));
  assert.equal(first.ema.power_w, 200);
  assert.equal(first.ema_delta.power_w, null);
  assert.equal(first.rate_per_s.accepted_shares, null);
  assert.equal(first.ema.temp_core_c, null);
  assert.deepEqual(first.counter_resets, []);
  const second = series.push(snap(2000, { power_w: 210, accepted_shares: 14 }));
  assert.equal(second.ema.power_w, 210);
  assert.equal(second.ema_delta.power_w, 10);
  assert.equal(second.rate_per_s.accepted_shares, 2);
  assert.equal(second.counter_delta.accepted_shares, 4);
  assert.equal(second.power_w, 210);
  assert.equal(second.rig, 'rig-a');
});

test('a counter reset is flagged with a null rate, never a negative one', () => {
  const series = new DeviceSeries();
  series.push(snap(0, { accepted_shares: 100, rejected_shares: 5 }));
  const after = series.push(snap(1000, { accepted_shares: 2, rejected_shares: 6 }));
  assert.deepEqual(after.counter_resets, ['accepted_shares']);
  assert.equal(after.rate_per_s.accepted_shares, null);
  assert.equal(after.rate_per_s.rejected_shares, 1);
});

test('history is bounded, newest last, NaN for missing, aligned with the times', () => {
  const series = new DeviceSeries({ capacity: 4 });
  series.push(snap(0, { power_w: 1 }));
  series.push(snap(1000, { power_w: null, fan_pct: 50 }));
  for (let i = 2; i <= 5; i++) series.push(snap(i * 1000, { power_w: i, fan_pct: 50 + i }));
  assert.deepEqual([...series.recentTs(10)], [2000, 3000, 4000, 5000]);
  assert.deepEqual([...series.recent('power_w', 10)], [2, 3, 4, 5]);
  assert.deepEqual([...series.recent('fan_pct', 2)], [54, 55]);
  assert.deepEqual([...series.recent('temp_core_c', 3)], []);
  series.push(snap(6000, { fan_pct: 56 }));
  assert.deepEqual([...series.recent('power_w', 2)], [5, Number.NaN]);
  assert.equal(series.recentEma('power_w', 1)[0], series.recentEma('power_w', 2)[0]);
  assert.equal(series.sampleCount, 7);
  assert.equal(series.latestTs, 6000);
});

test('counter rates and deltas are kept as history too', () => {
  const series = new DeviceSeries();
  for (let i = 0; i < 4; i++) series.push(snap(i * 1000, { energy_j: i * 300 }));
  assert.deepEqual([...series.recentRate('energy_j', 10)], [300, 300, 300]);
  assert.deepEqual([...series.recentDelta('energy_j', 2)], [300, 300]);
});

test('staleness is the time since the last non-null reading', () => {
  const series = new DeviceSeries();
  assert.equal(series.stalenessMs('power_w'), null);
  series.push(snap(1000, { power_w: 5 }));
  series.push(snap(4000, { power_w: null }));
  assert.equal(series.lastSeenTs('power_w'), 1000);
  assert.equal(series.stalenessMs('power_w'), 3000);
  assert.equal(series.stalenessMs('power_w', 10_000), 9000);
  assert.equal(series.stalenessMs('fan_pct'), null);
});

test('time must increase: RT_INPUT_TIME', () => {
  const series = new DeviceSeries();
  series.push(snap(1000, {}));
  assert.throws(
    () => series.push(snap(1000, {})),
    (err) => isRigtuneError(err, 'RT_INPUT_TIME') && err.where.device === 'gpu0',
  );
});

test('one device per series: RT_KERNEL_ARGUMENT', () => {
  const series = new DeviceSeries();
  series.push(snap(1000, {}));
  assert.throws(
    () => series.push(snap(2000, {}, 'gpu1')),
    (err) => isRigtuneError(err, 'RT_KERNEL_ARGUMENT'),
  );
});

test('per-field time constants override the default', () => {
  const series = new DeviceSeries({ emaTauS: 1000, emaTauByFieldS: { fan_pct: 0 } });
  series.push(snap(0, { fan_pct: 0, power_w: 0 }));
  const s = series.push(snap(1000, { fan_pct: 100, power_w: 100 }));
  assert.equal(s.ema.fan_pct, 100);
  assert.ok((s.ema.power_w ?? 0) < 1);
});

test('without history and EMAs the counters, resets and staleness are unchanged', () => {
  const full = new DeviceSeries();
  const lean = new DeviceSeries({ history: false, emas: false });
  const values: Partial<SnapshotValues>[] = [
    { power_w: 200, accepted_shares: 10, energy_j: 5 },
    { power_w: 210, accepted_shares: 12, energy_j: 9 },
    { power_w: null, accepted_shares: 3, energy_j: 12 },
  ];
  values.forEach((v, i) => {
    const a = full.push(snap(i * 1000, v));
    const b = lean.push(snap(i * 1000, v));
    assert.deepEqual(b.counter_delta, a.counter_delta);
    assert.deepEqual(b.rate_per_s, a.rate_per_s);
    assert.deepEqual(b.counter_resets, a.counter_resets);
    assert.deepEqual(b.ema, {});
    assert.deepEqual(b.ema_delta, {});
  });
  assert.equal(lean.recent('power_w', 10).length, 0);
  assert.equal(lean.recentDelta('accepted_shares', 10).length, 0);
  assert.equal(lean.recentTs(10).length, 0);
  assert.equal(lean.stalenessMs('power_w'), full.stalenessMs('power_w'));
  assert.equal(lean.sampleCount, 3);
});

test('pushCounters gives the same counter deltas and resets as push, for any counter walk', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.option(fc.integer({ min: -50, max: 200 }))), {
        maxLength: 80,
      }),
      (steps) => {
        const full = new DeviceSeries({ history: false, emas: false });
        const lean = new DeviceSeries({ history: false, emas: false });
        let ts = 0;
        let shares = 1000;
        for (const [dt, step] of steps) {
          ts += dt;
          // A negative step below −40 is a restart: the counter starts again from zero.
          if (step !== null) shares = step < -40 ? 0 : shares + Math.max(0, step);
          const s: Snapshot = {
            ...emptySnapshot(ts, 'r', 'd'),
            accepted_shares: step === null ? null : shares,
          };
          const a = full.push(s);
          const b = lean.pushCounters(s);
          assert.deepEqual(b.counter_delta, a.counter_delta);
          assert.deepEqual([...b.counter_resets], a.counter_resets);
        }
      },
    ),
    { seed: 11, numRuns: 200 },
  );
});

test('without rates and last-seen times the counter deltas and resets are unchanged (property)', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.integer({ min: -10, max: 90_000 }),
          fc.option(fc.integer({ min: -50, max: 200 })),
          fc.option(fc.double({ min: 0, max: 1e6, noNaN: true })),
        ),
        { maxLength: 80 },
      ),
      (steps) => {
        const full = new DeviceSeries({ history: false, emas: false });
        const lean = new DeviceSeries({ history: false, emas: false, rates: false, lastSeen: false });
        let ts = 0;
        let shares = 1000;
        for (const [dt, step, energy] of steps) {
          ts += Math.max(1, dt);
          if (step !== null) shares = step < -40 ? 0 : shares + Math.max(0, step);
          const s: Snapshot = {
            ...emptySnapshot(ts, 'r', 'd'),
            accepted_shares: step === null ? null : shares,
            energy_j: energy,
          };
          const a = full.pushCounters(s);
          const b = lean.pushCounters(s);
          assert.deepEqual(b.counter_delta, a.counter_delta);
          assert.deepEqual(b.counter_resets, a.counter_resets);
        }
        assert.equal(lean.lastSeenTs('accepted_shares'), null);
        assert.equal(lean.stalenessMs('accepted_shares'), null);
      },
    ),
    { seed: 12, numRuns: 200 },
  );
});

test('without rates push reports every rate as null, with the deltas of a series with rates', () => {
  const lean = new DeviceSeries({ rates: false });
  const full = new DeviceSeries();
  for (const [ts, v] of [
    [0, 10],
    [1000, 14],
    [2000, 3],
    [5000, 9],
  ]) {
    const a = full.push(snap(ts, { accepted_shares: v }));
    const b = lean.push(snap(ts, { accepted_shares: v }));
    assert.equal(b.rate_per_s.accepted_shares, null);
    assert.equal(b.counter_delta.accepted_shares, a.counter_delta.accepted_shares);
    assert.deepEqual(b.counter_resets, a.counter_resets);
  }
  assert.equal(lean.lastSeenTs('accepted_shares'), 5000);
});
