// check_pool: one rig-wide verdict from every device's latency and reject rate.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ADVISORY_OPTIONS as D } from '../options.ts';
import { GPU_OK, viewOf } from '../test-kit.ts';
import { checkPool } from './pool.ts';

const gpu = (device: string, latency: number | null, kpis = {}) =>
  viewOf({ ...GPU_OK, stratum_latency_ms: latency }, { device, tick: { kpis } });

test('latency branch: on at the trigger, hold in the band, off at the clear mark', () => {
  const f = checkPool('rig0', [gpu('gpu0', 1281), gpu('gpu1', 1281)], D)!;
  assert.equal(f.state, 'on');
  assert.equal(f.severity, 'critical');
  assert.deepEqual(f.target, { rig: 'rig0', device: null, board: null });
  assert.equal(
    f.reason,
    'On rig0 stratum latency is 1281 ms: check the pool (server, region, network path, difficulty).',
  );
  assert.equal(checkPool('rig0', [gpu('gpu0', 260)], D)!.severity, 'warning');
  assert.equal(checkPool('rig0', [gpu('gpu0', 200)], D)!.state, 'hold');
  assert.equal(checkPool('rig0', [gpu('gpu0', 60)], D)!.state, 'off');
});

test('reject branch uses the lower 95 % bound and needs enough shares', () => {
  const sure = { reject_rate: 0.13, reject_rate_ci95: [0.045, 0.3] as const, shares_in_window: 60 };
  const f = checkPool('rig0', [gpu('gpu0', 60, sure), gpu('gpu1', 60)], D)!;
  assert.equal(f.state, 'on');
  assert.match(f.reason, /gpu0 has 13 % of its last 60 shares rejected or stale/);
  assert.equal(f.evidence.reject_rate_low95, 0.045);
  const unsure = { reject_rate: 0.1, reject_rate_ci95: [0.01, 0.4] as const, shares_in_window: 30 };
  assert.equal(checkPool('rig0', [gpu('gpu0', 60, unsure)], D)!.state, 'hold');
  const rising = { reject_rate: 0.02, reject_rate_ci95: [0.005, 0.06] as const, shares_in_window: 200 };
  const risingGpu = viewOf(
    { ...GPU_OK },
    { device: 'gpu0', tick: { kpis: rising, channels_changing: ['reject_rate'] } },
  );
  assert.equal(checkPool('rig0', [risingGpu], D)!.state, 'on'); // the detector confirmed a rise
  assert.equal(checkPool('rig0', [gpu('gpu0', 60, rising)], D)!.state, 'hold');
  const few = { reject_rate: 0.5, reject_rate_ci95: [0.2, 0.8] as const, shares_in_window: 4 };
  assert.equal(checkPool('rig0', [gpu('gpu0', 60, few)], D)!.state, 'off'); // latency fine, rejects unknown
  const clean = { reject_rate: 0, reject_rate_ci95: [0, 0.05] as const, shares_in_window: 40 };
  assert.equal(checkPool('rig0', [gpu('gpu0', 60, clean)], D)!.state, 'off');
});

test('no latency and no reject rate: not applicable', () => {
  assert.equal(checkPool('asic0', [viewOf({ hashrate_5s: 1 }, { device: 'board0' })], D), null);
});
