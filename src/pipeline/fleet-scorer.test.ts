// Tests of FleetScorer: one independent DeviceScorer per (rig, device), options passed through, and a
// flush that closes every device's open event.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptySnapshot, type Snapshot } from '../core/snapshot.ts';
import { DeviceScorer } from './device-scorer.ts';
import { FIXTURE_START_MS, FixtureRng, fixtureRig } from './fixture-rig.ts';
import { FleetScorer } from './fleet-scorer.ts';
import type { RuptureEvent, ScoreTick } from './types.ts';

const PLAN = { seconds: 400, fanFailS: 120, latencyFromS: 200, latencyToS: 260, restartS: 300 };

test('interleaved devices score exactly as each device alone', () => {
  const snaps = fixtureRig(5, PLAN);
  const fleet = new FleetScorer();
  const byDevice = new Map<string, DeviceScorer>();
  for (const s of snaps) {
    const key = `${s.rig}/${s.device}`;
    let alone = byDevice.get(key);
    if (alone === undefined) {
      alone = new DeviceScorer();
      byDevice.set(key, alone);
    }
    assert.deepEqual(fleet.push(s), alone.push(s));
  }
  assert.equal(fleet.deviceCount, 3);
  const aloneFlush = [...byDevice.values()].flatMap((d) => d.flush());
  assert.deepEqual(fleet.flush(), aloneFlush);
});

test('devices are keyed by rig and device: the same device name on two rigs is two devices', () => {
  const fleet = new FleetScorer();
  const rng = new FixtureRng(1);
  for (let i = 0; i < 3; i += 1) {
    for (const rig of ['rig-a', 'rig-b']) {
      const s: Snapshot = {
        ...emptySnapshot(FIXTURE_START_MS + i * 1000, rig, 'gpu0'),
        power_w: 100 + rng.normal(),
      };
      assert.equal(fleet.push(s).tick.samples, i + 1);
    }
  }
  assert.equal(fleet.deviceCount, 2);
});

test('options reach every device scorer', () => {
  const fleet = new FleetScorer({ channelDetail: true, minSamples: 4 });
  let last: ScoreTick | null = null;
  for (const s of fixtureRig(2, PLAN).slice(0, 30)) last = fleet.push(s).tick;
  assert.ok(last?.structure !== null);
  assert.ok(Object.values(last?.channels ?? {}).every((c) => c.flags !== undefined));
});

test('flush closes the open events of every device, then nothing', () => {
  const rng = new FixtureRng(2);
  const fleet = new FleetScorer();
  const during: RuptureEvent[] = [];
  for (let i = 0; i < 204; i += 1) {
    for (const device of ['gpu0', 'gpu1']) {
      const level = i < 200 ? 100 : device === 'gpu0' ? 140 : 60;
      const s: Snapshot = {
        ...emptySnapshot(FIXTURE_START_MS + i * 1000, 'rig-a', device),
        power_w: level + rng.normal(),
      };
      during.push(...fleet.push(s).events);
    }
  }
  assert.deepEqual(during, []);
  const flushed = fleet.flush();
  assert.deepEqual(
    flushed.map((e) => [e.device, e.channels]),
    [
      ['gpu0', ['power_w']],
      ['gpu1', ['power_w']],
    ],
  );
  assert.deepEqual(fleet.flush(), []);
});

test('deterministic: two fleets, same input, same output', () => {
  const snaps = fixtureRig(4, PLAN);
  const a = new FleetScorer();
  const b = new FleetScorer();
  for (const s of snaps) assert.deepEqual(a.push(s), b.push(s));
  assert.deepEqual(a.flush(), b.flush());
});
