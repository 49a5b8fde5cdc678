// check_fan, inspect_hashboard, inspect_device and device_stale: conditions, bands and reasons.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ADVISORY_OPTIONS as D } from '../options.ts';
import { GPU_OK, T0, viewOf } from '../test-kit.ts';
import { checkFan, deviceStale, inspectDevice, inspectHashboard, staleFromFreshness } from './hardware.ts';

test('check_fan: commanded fan with a stopped tachometer, cleared once it turns again', () => {
  const f = checkFan(viewOf({ ...GPU_OK, fan_pct: 93, fan_rpm: 0 }), D)!;
  assert.equal(f.state, 'on');
  assert.equal(f.severity, 'critical');
  assert.equal(
    f.reason,
    "rig0/gpu0's fan reads 0 RPM while commanded to 93 %: check the fan (stalled, failed or unplugged).",
  );
  assert.equal(checkFan(viewOf({ ...GPU_OK, fan_pct: 93, fan_rpm: 150 }), D)!.state, 'hold');
  assert.equal(checkFan(viewOf({ ...GPU_OK, fan_pct: 93, fan_rpm: 2500 }), D)!.state, 'off');
  assert.equal(checkFan(viewOf({ ...GPU_OK, fan_pct: 0, fan_rpm: 0 }), D)!.state, 'off'); // fan stop at idle
  assert.equal(checkFan(viewOf({ ...GPU_OK, fan_rpm: null }), D), null);
});

const BOARD = {
  hashrate_5s: 36e12,
  hashrate_expected: 36e12,
  temp_core_c: 68,
  temp_chip_max_c: 73,
  clock_core_mhz: 530,
};

test('inspect_hashboard: low ratio with a band, and a missing board (critical)', () => {
  const low = inspectHashboard(
    viewOf(BOARD, { device: 'board2', tick: { kpis: { hashrate_ratio: 0.7 } } }),
    D,
  )!;
  assert.equal(low.state, 'on');
  assert.equal(low.severity, 'warning');
  assert.deepEqual(low.target, { rig: 'rig0', device: 'board2', board: 2 });
  assert.match(low.reason, /hashes at 70 % of its expected rate: inspect hashboard 2/);
  const ratio = (r: number) =>
    inspectHashboard(viewOf(BOARD, { device: 'board2', tick: { kpis: { hashrate_ratio: r } } }), D)!.state;
  assert.equal(ratio(0.85), 'on');
  assert.equal(ratio(0.9), 'hold');
  assert.equal(ratio(0.93), 'off');
  const gone = { hashrate_5s: 0, hashrate_expected: 36e12, hw_errors: 2 };
  const m = inspectHashboard(viewOf(gone, { device: 'board1', tick: { kpis: { hashrate_ratio: 0 } } }), D)!;
  assert.equal(m.state, 'on');
  assert.equal(m.severity, 'critical');
  assert.equal(m.evidence.board_missing, true);
  assert.match(m.reason, /inspect hashboard 1 \(missing from the chain\)/);
  assert.equal(inspectHashboard(viewOf(GPU_OK), D), null);
});

test('inspect_device: a GPU or miner total below its expected rate', () => {
  const f = inspectDevice(viewOf(GPU_OK, { tick: { kpis: { hashrate_ratio: 0.23 } } }), D)!;
  assert.equal(f.state, 'on');
  assert.equal(f.severity, 'critical');
  assert.equal(inspectDevice(viewOf(GPU_OK, { tick: { kpis: { hashrate_ratio: 0.85 } } }), D)!.state, 'hold');
  assert.equal(inspectDevice(viewOf(GPU_OK, { tick: { kpis: { hashrate_ratio: 0.99 } } }), D)!.state, 'off');
  assert.equal(inspectDevice(viewOf(GPU_OK, { tick: { kpis: { hashrate_ratio: null } } }), D), null);
  assert.equal(inspectDevice(viewOf(BOARD, { device: 'board0' }), D), null);
});

test('device_stale: a sample with no readings, and freshness reports', () => {
  assert.equal(deviceStale(viewOf({}), D)!.state, 'on');
  assert.equal(deviceStale(viewOf({ hw_errors: 3 }), D)!.state, 'on'); // counters alone are not readings
  assert.equal(deviceStale(viewOf(GPU_OK), D)!.state, 'off');
  // A pool endpoint reports only its latency: that is its reading.
  assert.equal(
    deviceStale(viewOf({ stratum_latency_ms: 31 }, { device: 'pool:eu.pool.example:4444' }), D)!.state,
    'off',
  );
  assert.equal(deviceStale(viewOf({}, { device: 'pool:eu.pool.example:4444' }), D)!.state, 'on');
  assert.equal(deviceStale(viewOf({ stratum_latency_ms: 31 }), D)!.state, 'on'); // a GPU needs sensors
  const missing = staleFromFreshness('rig0', 'gpu1', 'missing', T0 - 30_000, T0);
  assert.equal(missing.state, 'on');
  assert.equal(missing.severity, 'critical');
  assert.equal(
    missing.reason,
    'No fresh samples: nothing was read from rig0/gpu1 for 30 s; check the miner, its API and the network.',
  );
  const stale = staleFromFreshness('asic0', 'board1', 'stale', null, T0);
  assert.equal(stale.severity, 'warning');
  assert.equal(stale.target.board, 1);
  assert.match(stale.reason, /sent only unchanged re-reads since the service started/);
  assert.equal(staleFromFreshness('rig0', 'gpu1', 'fresh', T0, T0).state, 'off');
});
