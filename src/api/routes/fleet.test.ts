// GET /api/fleet: a row per device (scores and KPIs from the state, newest readings, open advice with
// rig-wide advice counted on every device) and a row per rig (hardware by source kind, auto-tune mode).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptySnapshot } from '../../core/snapshot.ts';
import { createApi } from '../app.ts';
import type { ControlApi } from '../control-types.ts';
import type { ReadingsView } from '../readings.ts';
import { MemoryState, makeState, makeTick, testDeps } from '../test-kit.ts';
import { hardwareOf } from './fleet.ts';

const state = new MemoryState();
state.publish(
  makeState('rig-01', [
    makeTick('rig-01', 'gpu0', 2000, {
      sep_score: 72.5,
      rupture_class: 'micro',
      lambda_hazard: 0.4,
      kpis: {
        ...makeTick('x', 'y', 0).kpis,
        efficiency_h_per_j: 400_000,
        reject_rate: 0.01,
        thermal_headroom_c: 9,
      },
    }),
  ]),
);
state.addRig('asic-01');
state.addControl({
  kind: 'advice',
  rig: 'rig-01',
  ts: 2100,
  payload: { id: 'a1', state: 'active', target: { rig: 'rig-01', device: 'gpu0' } },
});
state.addControl({
  kind: 'advice',
  rig: 'rig-01',
  ts: 2200,
  payload: { id: 'a2', state: 'active', target: { rig: 'rig-01', device: null } },
});
state.addControl({
  kind: 'advice',
  rig: 'rig-01',
  ts: 2300,
  payload: { id: 'a3', state: 'active', target: { rig: 'rig-01', device: 'gpu9' } },
});

const readings: ReadingsView = {
  latest: (rig) =>
    rig === 'rig-01'
      ? [
          {
            ...emptySnapshot(2000, 'rig-01', 'gpu0'),
            power_w: 250,
            temp_core_c: 61,
            temp_mem_c: 80,
            hashrate_5s: 1e8,
          },
          { ...emptySnapshot(2000, 'rig-01', 'gpu1'), power_w: 240 },
        ]
      : [],
};
const control = {
  status: () => [{ rig: 'rig-01', mode: 'auto' }],
  killSwitch: () => ({ engaged: false, reason: null, changed_ms: null }),
} as unknown as ControlApi;
const configured = () => [
  { rig: 'rig-01', sources: [{ id: 'rig-01/xmrig', kind: 'xmrig', status: 'up' as const }] },
  { rig: 'asic-01', sources: [{ id: 'asic-01/cgminer', kind: 'cgminer', status: 'waiting' as const }] },
];
const api = createApi(testDeps({ state, readings, control, configured }));

test('one row per device with scores, readings and open advice; one per rig with hardware and mode', async () => {
  const res = await api.app.inject({ method: 'GET', url: '/api/fleet' });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(body.kill_switch, { engaged: false, reason: null, changed_ms: null });
  assert.deepEqual(
    body.rigs.map((r: Record<string, unknown>) => [r.rig, r.status, r.hardware, r.mode, r.advice_open]),
    [
      ['asic-01', 'waiting', 'asic', null, 0],
      ['rig-01', 'scored', 'gpu', 'auto', 3],
    ],
  );
  const [gpu0, gpu1] = body.devices;
  assert.equal(body.devices.length, 2);
  assert.deepEqual(
    [gpu0.device, gpu0.sep_score, gpu0.rupture_class, gpu0.lambda_hazard, gpu0.efficiency_h_per_j],
    ['gpu0', 72.5, 'micro', 0.4, 400_000],
  );
  assert.equal(gpu0.reject_rate, 0.01);
  assert.equal(gpu0.thermal_headroom_c, 9);
  assert.equal(gpu0.advice_open, 2, 'its own advice and the rig-wide one');
  assert.deepEqual(
    [gpu0.readings.power_w, gpu0.readings.temp_max_c, gpu0.readings.temp_sensor, gpu0.readings.hashrate_hs],
    [250, 80, 'mem', 1e8],
  );
  // A device with readings but no score yet is listed with null scores.
  assert.deepEqual(
    [gpu1.device, gpu1.ts, gpu1.sep_score, gpu1.readings.power_w, gpu1.advice_open],
    ['gpu1', null, null, 240, 1],
  );
});

test('?rig= narrows to those rigs; unknown parameters are 400', async () => {
  const only = (await api.app.inject({ method: 'GET', url: '/api/fleet?rig=asic-01' })).json();
  assert.deepEqual(
    only.rigs.map((r: { rig: string }) => r.rig),
    ['asic-01'],
  );
  assert.deepEqual(only.devices, []);
  const bad = await api.app.inject({ method: 'GET', url: '/api/fleet?rgi=x' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.param, 'rgi');
});

test('without readings or control: readings and mode are null', async () => {
  const bare = createApi(testDeps({ state }));
  const body = (await bare.app.inject({ method: 'GET', url: '/api/fleet' })).json();
  assert.equal(body.kill_switch, null);
  assert.equal(body.devices[0].readings, null);
  assert.equal(body.rigs.find((r: { rig: string }) => r.rig === 'rig-01').mode, null);
  await bare.close();
});

test('hardwareOf: ASIC and GPU source kinds; mixed or unknown is null', () => {
  assert.equal(hardwareOf([{ id: 'a', kind: 'cgminer', status: 'up' }]), 'asic');
  assert.equal(
    hardwareOf([
      { id: 'a', kind: 'nvml', status: 'up' },
      { id: 'b', kind: 'xmrig', status: 'up' },
    ]),
    'gpu',
  );
  assert.equal(
    hardwareOf([
      { id: 'a', kind: 'nvml', status: 'up' },
      { id: 'b', kind: 'cgminer', status: 'up' },
    ]),
    null,
  );
  assert.equal(hardwareOf([{ id: 'a', kind: 'stratum', status: 'up' }]), null);
  assert.equal(hardwareOf([]), null);
});
