// mapTrex over a real T-Rex 0.9.1 (API 3.0) capture and an API 4.1 reply whose GPU entry is a real
// capture, every field checked; plus API 3.3's stat_by_gpu, bus-only pci ids and foreign replies.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { assertMapsOrRefuses, mutationsOf } from '../../../test/helpers/json-mutations.ts';
import { assertSnapshot } from '../../../test/helpers/snapshot-assert.ts';
import { SourceError } from '../../core/errors.ts';
import { busIdOfGpu, mapTrex } from './map.ts';

const read = (version: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${version}/summary.json`, import.meta.url), 'utf8'));
const TS = 1_700_000_000_000;
const id = (device: string) => ({ ts: TS, rig: 'rig-a', device });
const raws = (r: ReturnType<typeof mapTrex>) => r.raw.map((x) => [x.device, x.field, x.value]);

test('0.9.1 / API 3.0: no pci ids → gpu<device_id>; no per-GPU shares', () => {
  const r = mapTrex(read('0.9.1'), TS, 'rig-a');
  assert.deepEqual(
    r.snapshots.map((s) => s.device),
    ['total', 'gpu0'],
  );
  assertSnapshot(r.snapshots[0], id('total'), {
    hashrate_5s: 7748158,
    hashrate_1m: 7748158,
    accepted_shares: 1,
    rejected_shares: 0,
    stratum_latency_ms: 347,
  });
  assertSnapshot(r.snapshots[1], id('gpu0'), { hashrate_5s: 7748158, hashrate_1m: 7748158, temp_core_c: 68 });
  assert.deepEqual(r.devices, [
    { device: 'total', model: 'T-Rex', firmware: '0.9.1' },
    { device: 'gpu0', model: 'GeForce GTX 1050 Ti' },
  ]);
  assert.deepEqual(raws(r), [
    ['total', 'version', '0.9.1'],
    ['total', 'api', '3.0'],
    ['total', 'algorithm', 'x16r'],
    ['total', 'uptime_s', 56],
    ['total', 'solved_count', 0],
    ['total', 'sharerate_average', 1.361],
    ['total', 'pool_difficulty', 16],
    ['total', 'pool', 'stratum+tcp://pool.minermore.com:4501'],
    ['gpu0', 'hashrate_instant', 9208880],
    ['gpu0', 'intensity', 20],
  ]);
  assert.deepEqual(r.warnings, []);
});

test('API 4.1: bus id from pci_domain/pci_bus/pci_id, per-GPU shares, clocks, memory temperature', () => {
  const r = mapTrex(read('api-4.1-composite'), TS, 'rig-a');
  assert.deepEqual(
    r.snapshots.map((s) => s.device),
    ['total', '0000:02:00.0'],
  );
  assertSnapshot(r.snapshots[0], id('total'), {
    hashrate_5s: 100797662,
    hashrate_1m: 100797384,
    accepted_shares: 259,
    rejected_shares: 0,
    stratum_latency_ms: 35,
  });
  assertSnapshot(r.snapshots[1], id('0000:02:00.0'), {
    hashrate_5s: 100797662,
    hashrate_1m: 100797384,
    temp_core_c: 42,
    temp_mem_c: 84,
    power_w: 258,
    fan_pct: 100,
    clock_core_mhz: 1488,
    clock_mem_mhz: 10541,
    accepted_shares: 259,
    rejected_shares: 0,
    hw_errors: 0,
  });
  assert.deepEqual(r.devices[1], { device: '0000:02:00.0', model: 'RTX 3080', pci_bus_id: '0000:02:00.0' });
  assert.deepEqual(raws(r), [
    ['total', 'version', '0.24.2'],
    ['total', 'api', '4.1'],
    ['total', 'algorithm', 'ethash'],
    ['total', 'uptime_s', 7600],
    ['total', 'solved_count', 0],
    ['total', 'sharerate_average', 2.05],
    ['total', 'pool_difficulty', '4.00 G'],
    ['total', 'pool', 'stratum+tcp://eth.pool.example:4444'],
    ['0000:02:00.0', 'hashrate_instant', 100718800],
    ['0000:02:00.0', 'power_avg_w', 258],
    ['0000:02:00.0', 'efficiency', '391kH/W'],
    ['0000:02:00.0', 'lhr_tune', 0],
    ['0000:02:00.0', 'intensity', 22],
    ['0000:02:00.0', 'uuid', '3c2916092403773bc07439debbf5332f'],
    ['0000:02:00.0', 'potentially_unstable', false],
    ['0000:02:00.0', 'paused', false],
  ]);
});

test('API 3.3 stat_by_gpu gives per-GPU shares by position; API 3.6 bus-only ids', () => {
  const reply = {
    api: '3.3',
    accepted_count: 9,
    invalid_count: 2,
    gpus: [
      { gpu_id: 0, pci_bus: 1, hashrate: 5 },
      { gpu_id: 1, device_id: 1, hashrate: 6 },
      { name: 'no ids' },
    ],
    stat_by_gpu: [
      { accepted_count: 4, rejected_count: 1 },
      { accepted_count: 5, rejected_count: 0, invalid_count: 2 },
    ],
  };
  const r = mapTrex(reply, TS, 'r');
  assert.deepEqual(
    r.snapshots.map((s) => [s.device, s.accepted_shares, s.rejected_shares, s.hw_errors]),
    [
      ['total', 9, null, 2],
      ['0000:01:00.0', 4, 1, null],
      ['gpu1', 5, 0, 2],
    ],
  );
  assert.deepEqual(r.warnings, ['T-Rex GPU entry without pci_bus or device_id skipped']);
});

test('busIdOfGpu: defaults and out-of-range parts', () => {
  assert.equal(busIdOfGpu({ pci_bus: 10 }), '0000:0a:00.0');
  assert.equal(busIdOfGpu({ pci_bus: 1, pci_domain: 1, pci_id: 2 }), '0001:01:02.0');
  assert.equal(busIdOfGpu({ pci_bus: 300 }), null);
  assert.equal(busIdOfGpu({}), null);
});

test('foreign replies are refused; odd values become null', () => {
  for (const bad of [null, {}, { gpus: 3 }, { gpus: [] }, [], 'x'])
    assert.throws(
      () => mapTrex(bad, TS, 'r'),
      (e) => e instanceof SourceError && e.kind === 'protocol',
    );
  const r = mapTrex(
    {
      name: 't-rex',
      gpus: [{ device_id: 0, hashrate: 'fast', temperature: 0 }],
      active_pool: { ping: 0, difficulty: {} },
    },
    TS,
    'r',
  );
  assert.equal(r.snapshots[1].hashrate_5s, null);
  assert.equal(r.snapshots[1].temp_core_c, null);
  assert.equal(r.snapshots[0].stratum_latency_ms, null);
  assert.equal(r.raw.find((x) => x.field === 'pool_difficulty')?.value, null);
});

test('mutated fixtures map or are refused, never crash (property)', () => {
  for (const version of ['0.9.1', 'api-4.1-composite'])
    fc.assert(
      fc.property(mutationsOf(read(version)), (reply) => assertMapsOrRefuses(() => mapTrex(reply, TS, 'r'))),
      { numRuns: 200, seed: 20261126 },
    );
});
