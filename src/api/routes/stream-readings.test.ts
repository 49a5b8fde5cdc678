// GET /api/stream?include=readings: each rig tick's raw readings from the readings sink as a compact
// `readings` event (for the named rigs only with ?rig=); without include=readings none are sent.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { RigTickBatch } from '../../core/sink.ts';
import { emptySnapshot, type Snapshot } from '../../core/snapshot.ts';
import { LatestReadings, readingsOf } from '../readings.ts';
import { MemoryState, makeState, readJson, SseReader, startTestApi, testDeps } from '../test-kit.ts';

const state = new MemoryState();
const readings = new LatestReadings();
const { api, url } = await startTestApi(testDeps({ state, readings }));
after(() => api.close());

const snap = (rig: string, device: string, ts: number, powerW: number): Snapshot => ({
  ...emptySnapshot(ts, rig, device),
  power_w: powerW,
  temp_core_c: 61,
  temp_mem_c: 84,
  hashrate_5s: 1.2e8,
  fan_pct: 55,
});
const tick = (rig: string, ts: number, snapshots: Snapshot[]): RigTickBatch => ({
  rig,
  ts,
  snapshots,
  scores: [],
  events: [],
  state: makeState(rig, []),
});

async function open(path: string): Promise<SseReader> {
  const res = await fetch(`${url}${path}`);
  assert.equal(res.status, 200);
  return new SseReader(res.body as ReadableStream<Uint8Array>);
}

test('include=readings: one compact event per rig tick, for the named rigs', async () => {
  const reader = await open('/api/stream?include=readings&rig=rig-a');
  await state.waitForListeners(1); // the readings subscription is made in the same step
  const a0 = snap('rig-a', 'gpu0', 1000, 210);
  const a1 = snap('rig-a', 'gpu1', 1000, 190);
  readings.write(tick('rig-b', 1000, [snap('rig-b', 'gpu0', 1000, 1)])); // not asked for
  readings.write(tick('rig-a', 1000, [a0, a1]));
  const e = await reader.nextEvent();
  assert.equal(e?.event, 'readings');
  assert.deepEqual(JSON.parse(e?.data as string), {
    rig: 'rig-a',
    ts: 1000,
    devices: [
      { device: 'gpu0', ...readingsOf(a0) },
      { device: 'gpu1', ...readingsOf(a1) },
    ],
  });
  assert.deepEqual(readingsOf(a0), {
    ts: 1000,
    hashrate_hs: 1.2e8,
    hashrate_expected_hs: null,
    power_w: 210,
    temp_max_c: 84,
    temp_sensor: 'mem',
    temp_target_c: null,
    fan_pct: 55,
    fan_rpm: null,
    hw_errors: null,
  });
  // States still come on the same stream.
  state.publish(makeState('rig-a', []));
  assert.equal((await reader.nextEvent())?.event, 'state');
  await reader.cancel();
  await state.waitForListeners(0);
});

test('without include=readings no readings are sent; an unknown include is a 400', async () => {
  const reader = await open('/api/stream?rig=rig-a');
  await state.waitForListeners(1);
  readings.write(tick('rig-a', 2000, [snap('rig-a', 'gpu0', 2000, 200)]));
  state.publish(makeState('rig-a', []));
  assert.equal((await reader.nextEvent())?.event, 'state');
  await reader.cancel();
  await state.waitForListeners(0);
  const res = await fetch(`${url}/api/stream?include=scores`);
  assert.equal(res.status, 400);
  const body = await readJson(res);
  assert.equal(body.error.param, 'include');
});
