// LatestReadings: each device's newest snapshot per rig (an older one never replaces it), sorted by
// device; hottest temperature over core, memory and chip sensors.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptySnapshot, type Snapshot } from '../core/snapshot.ts';
import { hottestTemp, LatestReadings, readingsOf } from './readings.ts';
import { makeState } from './test-kit.ts';

const snap = (ts: number, device: string, over: Partial<Snapshot> = {}): Snapshot => ({
  ...emptySnapshot(ts, 'r1', device),
  ...over,
});
const batch = (ts: number, snapshots: Snapshot[]) => ({
  rig: 'r1',
  ts,
  snapshots,
  scores: [],
  events: [],
  state: makeState('r1', []),
});

test('keeps the newest snapshot of each device, sorted by device; unknown rigs have none', () => {
  const r = new LatestReadings();
  r.write(batch(2000, [snap(2000, 'gpu1', { power_w: 200 }), snap(2000, 'gpu0', { power_w: 100 })]));
  r.write(batch(1000, [snap(1000, 'gpu0', { power_w: 1 })])); // older: ignored
  r.write(batch(3000, [snap(3000, 'gpu1', { power_w: 210 })]));
  assert.deepEqual(
    r.latest('r1').map((s) => [s.device, s.ts, s.power_w]),
    [
      ['gpu0', 2000, 100],
      ['gpu1', 3000, 210],
    ],
  );
  assert.deepEqual(r.latest('nope'), []);
  assert.equal(r.health().ok, true);
});

test("subscribers get each tick's fresh readings (an older snapshot is not news) until they leave", () => {
  const r = new LatestReadings();
  const got: unknown[] = [];
  const off = r.subscribe((x) => got.push(x));
  r.write(batch(2000, [snap(2000, 'gpu0', { power_w: 100, temp_core_c: 60 })]));
  r.write(batch(1000, [snap(1000, 'gpu0', { power_w: 1 })])); // older: nothing to tell
  off();
  r.write(batch(3000, [snap(3000, 'gpu0')]));
  assert.deepEqual(got, [
    {
      rig: 'r1',
      ts: 2000,
      devices: [{ device: 'gpu0', ...readingsOf(snap(2000, 'gpu0', { power_w: 100, temp_core_c: 60 })) }],
    },
  ]);
});

test('after close nothing more is kept', async () => {
  const r = new LatestReadings();
  await r.close();
  r.write(batch(1000, [snap(1000, 'gpu0')]));
  assert.deepEqual(r.latest('r1'), []);
});

test('hottestTemp: the highest finite sensor and its name; null without any', () => {
  assert.deepEqual(hottestTemp(snap(0, 'd', { temp_core_c: 60, temp_mem_c: 88 })), {
    temp_c: 88,
    sensor: 'mem',
  });
  assert.deepEqual(hottestTemp(snap(0, 'd', { temp_chip_max_c: 75, temp_core_c: Number.NaN })), {
    temp_c: 75,
    sensor: 'chip',
  });
  assert.deepEqual(hottestTemp(snap(0, 'd')), { temp_c: null, sensor: null });
});
