// Tests of the reject_rate channel in the device scorer: present only with share counters, its score shape,
// a reject storm opening an event through the merger, channel selection, counter resets, option checks.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRigtuneError } from '../core/errors.ts';
import { emptySnapshot, type Snapshot, type SnapshotValues } from '../core/snapshot.ts';
import { DeviceScorer } from './device-scorer.ts';
import { FIXTURE_START_MS, FixtureRng } from './fixture-rig.ts';
import { REJECT_CHANNEL } from './reject-watch.ts';
import type { RuptureEvent, ScoreTick } from './types.ts';

const tsOf = (i: number) => FIXTURE_START_MS + i * 1000;

/**
 * A GPU whose miner finds a share with probability `perSample` each second, rejected with probability
 * rate(i); power and temperature are quiet noise. `resetAt` restarts the miner (counters back to 0).
 */
function shareGpu(
  n: number,
  seed: number,
  rate: (i: number) => number,
  options: { perSample?: number; resetAt?: number; over?: Partial<SnapshotValues> } = {},
): Snapshot[] {
  const rng = new FixtureRng(seed);
  let accepted = 0;
  let rejected = 0;
  const out: Snapshot[] = [];
  for (let i = 0; i < n; i += 1) {
    if (i === options.resetAt) accepted = rejected = 0;
    if (rng.next() < (options.perSample ?? 0.2)) {
      if (rng.next() < rate(i)) rejected += 1;
      else accepted += 1;
    }
    out.push({
      ...emptySnapshot(tsOf(i), 'rig-a', 'gpu0'),
      power_w: 214 + rng.normal(),
      temp_core_c: 60 + 0.3 * rng.normal(),
      accepted_shares: accepted,
      rejected_shares: rejected,
      stale_shares: 0,
      diff_accepted: accepted * 4e9,
      diff_rejected: rejected * 4e9,
      diff_stale: 0,
      ...options.over,
    });
  }
  return out;
}

function scoreAll(snaps: readonly Snapshot[], scorer = new DeviceScorer()) {
  const ticks: ScoreTick[] = [];
  const events: RuptureEvent[] = [];
  for (const s of snaps) {
    const r = scorer.push(s);
    ticks.push(r.tick);
    events.push(...r.events);
  }
  events.push(...scorer.flush());
  return { ticks, events };
}

test('reject_rate is a channel of devices with share counters, from their first sample, with null structure', () => {
  const { ticks } = scoreAll(shareGpu(40, 1, () => 0.01));
  assert.deepEqual(ticks[0].channels[REJECT_CHANNEL], {
    change_prob: 0,
    coherence: null,
    stability: null,
    entropy: null,
    rupture: null,
  });
  for (const t of ticks) {
    const c = t.channels[REJECT_CHANNEL];
    assert.ok(c.change_prob >= 0 && c.change_prob < 0.5);
    assert.equal(c.rupture, null);
  }
  // No share counters (an ASIC board, an NVML-only GPU): no channel.
  const board = scoreAll(
    shareGpu(20, 1, () => 0, { over: { accepted_shares: null, rejected_shares: null } }),
  );
  assert.ok(board.ticks.every((t) => !(REJECT_CHANNEL in t.channels)));
  // Counters that start late: the channel starts with them.
  const late = shareGpu(30, 2, () => 0).map((s, i) =>
    i < 10 ? { ...s, accepted_shares: null, rejected_shares: null } : s,
  );
  const lateTicks = scoreAll(late).ticks;
  assert.ok(!(REJECT_CHANNEL in lateTicks[9].channels) && REJECT_CHANNEL in lateTicks[10].channels);
});

test('a reject storm (1 % → 40 % at sample 2000) opens one event on reject_rate near its start', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const { ticks, events } = scoreAll(shareGpu(3000, seed, (i) => (i < 2000 ? 0.01 : 0.4)));
    const storm = events.filter((e) => e.channels.includes(REJECT_CHANNEL));
    assert.equal(storm.length, 1, `seed ${seed}: ${JSON.stringify(events)}`);
    const e = storm[0];
    const detected = (e.ts_detected - FIXTURE_START_MS) / 1000;
    const start = (e.ts_start - FIXTURE_START_MS) / 1000;
    assert.ok(detected >= 2000 && detected <= 2400, `seed ${seed}: detected at ${detected}`);
    assert.ok(start >= 1900 && start <= detected, `seed ${seed}: start ${start}`);
    assert.ok(e.hazard >= 0.9 && e.hazard <= 1);
    // The declaring tick carries the posterior in its channel, the tick maximum and channels_changing.
    const tick = ticks[detected];
    assert.ok(tick.channels[REJECT_CHANNEL].change_prob >= 0.9);
    assert.ok(tick.change_prob >= 0.9 && tick.channels_changing.includes(REJECT_CHANNEL));
  }
});

test('steady 1–2 % rejects and a miner restart raise no reject_rate event', () => {
  for (const seed of [1, 2, 3]) {
    for (const rate of [0.01, 0.02]) {
      const { events } = scoreAll(shareGpu(6000, seed, () => rate, { resetAt: 3000, perSample: 0.5 }));
      assert.ok(!events.some((e) => e.channels.includes(REJECT_CHANNEL)), `seed ${seed} rate ${rate}`);
    }
  }
});

test('explicit channels: reject_rate only when listed; listed alone it is the only channel', () => {
  const snaps = shareGpu(50, 3, () => 0.01);
  const without = scoreAll(snaps, new DeviceScorer({ channels: ['power_w'] })).ticks.at(-1)!;
  assert.deepEqual(Object.keys(without.channels), ['power_w']);
  const only = scoreAll(snaps, new DeviceScorer({ channels: ['reject_rate'] })).ticks.at(-1)!;
  assert.deepEqual(Object.keys(only.channels), [REJECT_CHANNEL]);
  const both = scoreAll(snaps, new DeviceScorer({ channels: ['reject_rate', 'power_w'] })).ticks.at(-1)!;
  assert.deepEqual(Object.keys(both.channels), ['power_w', REJECT_CHANNEL]);
});

test('rejectRise options reach the detector and bad ones throw RT_KERNEL_ARGUMENT at construction', () => {
  assert.throws(
    () => new DeviceScorer({ rejectRise: { hazard: 2 } }),
    (e: unknown) => isRigtuneError(e) && e.code === 'RT_KERNEL_ARGUMENT',
  );
  // A burst of 3 rejected shares after 300 clean ones: the defaults need 4 bad shares in a new segment,
  // looser options (one bad share, a high prior hazard) declare it.
  const snaps = shareGpu(400, 4, (i) => (i >= 300 && i < 303 ? 1 : 0), { perSample: 1 });
  const flagged = (o: object) =>
    scoreAll(snaps, new DeviceScorer({ rejectRise: o })).events.some((e) =>
      e.channels.includes(REJECT_CHANNEL),
    );
  assert.equal(flagged({}), false);
  assert.equal(flagged({ hazard: 0.1, minBadShares: 1 }), true);
});
