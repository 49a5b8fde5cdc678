// mapStat over GMiner 1.34 (real), GMiner 2.90 dual mining (real post, one value completed) and the
// Rigel synthetic reply, every field checked; plus dialect sniffing and Rigel's pool choice.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { assertMapsOrRefuses, mutationsOf } from '../../../test/helpers/json-mutations.ts';
import { assertSnapshot } from '../../../test/helpers/snapshot-assert.ts';
import { SourceError } from '../../core/errors.ts';
import { mapStat, sniffDialect } from './map.ts';

const read = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${path}/stat.json`, import.meta.url), 'utf8'));
const TS = 1_700_000_000_000;
const id = (device: string) => ({ ts: TS, rig: 'rig-a', device });
const raws = (r: ReturnType<typeof mapStat>) => r.raw.map((x) => [x.device, x.field, x.value]);

test('GMiner 1.34 (Equihash, RX 560): Sol/s, per-device shares, no stale/invalid counters', () => {
  const r = mapStat(read('gminer/1.34'), TS, 'rig-a');
  assert.deepEqual(
    r.snapshots.map((s) => s.device),
    ['total', '0000:02:00.0'],
  );
  assertSnapshot(r.snapshots[0], id('total'), { accepted_shares: 0, rejected_shares: 0 });
  assertSnapshot(r.snapshots[1], id('0000:02:00.0'), {
    hashrate_5s: 1.2,
    accepted_shares: 0,
    rejected_shares: 0,
    temp_core_c: 54,
    power_w: 32,
  });
  assert.deepEqual(r.devices, [
    { device: 'total', model: 'GMiner', firmware: '1.34' },
    { device: '0000:02:00.0', model: 'ASUS Radeon RX 560 Series 4GB', pci_bus_id: '0000:02:00.0' },
  ]);
  assert.deepEqual(raws(r), [
    ['total', 'dialect', 'gminer'],
    ['total', 'miner', 'GMiner 1.34'],
    ['total', 'algorithm', 'Equihash 150,5 "Beam-PoW"'],
    ['total', 'uptime_s', 88],
    ['total', 'electricity_kwh', 0.001],
    ['total', 'pool', 'stratum+ssl://beam.sparkpool.com:2222'],
    ['0000:02:00.0', 'temperature_limit_c', 90],
  ]);
  assert.deepEqual(r.warnings, []);
});

test('GMiner 2.90 (Ethash + TON, RTX 3080): stale/invalid, memory temp and clock, second algorithm raw', () => {
  const r = mapStat(read('gminer/2.90'), TS, 'rig-a');
  assertSnapshot(r.snapshots[0], id('total'), {
    accepted_shares: 222,
    rejected_shares: 0,
    stale_shares: 0,
    hw_errors: 0,
  });
  // The post is cut after `speed`: this device's `accepted_shares` is not in the fixture, so null.
  assertSnapshot(r.snapshots[1], id('0000:08:00.0'), {
    hashrate_5s: 94311600,
    rejected_shares: 0,
    stale_shares: 0,
    hw_errors: 0,
    temp_core_c: 51,
    temp_mem_c: 68,
    power_w: 229,
    fan_pct: 95,
    clock_mem_mhz: 10001,
  });
  assert.deepEqual(raws(r), [
    ['total', 'dialect', 'gminer'],
    ['total', 'miner', 'GMiner 2.90'],
    ['total', 'algorithm', 'Ethash + TON'],
    ['total', 'uptime_s', 5601],
    ['total', 'electricity_kwh', 0.791],
    ['total', 'shares_per_minute', 2.38],
    ['total', 'pool_hashrate', 170266071],
    ['total', 'pool', 'eth.hiveon.com:4444'],
    ['total', 'pool_hashrate_2', 294512043],
    ['total', 'accepted_shares_2', 6],
    ['total', 'rejected_shares_2', 0],
    ['0000:08:00.0', 'temperature_limit_c', 90],
    ['0000:08:00.0', 'memory_temperature_limit_c', 120],
    ['0000:08:00.0', 'hashrate_2', 377246480],
  ]);
});

test("Rigel (synthetic): per-algorithm maps, monitoring_info, the active pool's latency", () => {
  const r = mapStat(read('rigel/synthetic'), TS, 'rig-a');
  assert.deepEqual(
    r.snapshots.map((s) => s.device),
    ['total', '0000:01:00.0', '0000:03:00.0'],
  );
  assertSnapshot(r.snapshots[0], id('total'), {
    hashrate_5s: 61234567,
    accepted_shares: 120,
    rejected_shares: 2,
    hw_errors: 1,
    power_w: 410.5,
    stratum_latency_ms: 42,
  });
  assertSnapshot(r.snapshots[1], id('0000:01:00.0'), {
    hashrate_5s: 30100000,
    accepted_shares: 60,
    rejected_shares: 1,
    hw_errors: 0,
    temp_core_c: 61,
    fan_pct: 55,
    power_w: 200.25,
    clock_core_mhz: 1710,
    clock_mem_mhz: 7001,
  });
  assertSnapshot(r.snapshots[2], id('0000:03:00.0'), {
    hashrate_5s: 31134567,
    accepted_shares: 60,
    rejected_shares: 1,
    hw_errors: 1,
    temp_core_c: 64,
    fan_pct: 60,
    power_w: 210.25,
    clock_core_mhz: 1725,
    clock_mem_mhz: 7001,
  });
  assert.deepEqual(r.devices[0], { device: 'total', model: 'Rigel', firmware: '1.19.1' });
  assert.deepEqual(raws(r), [
    ['total', 'dialect', 'rigel'],
    ['total', 'version', '1.19.1'],
    ['total', 'algorithm', 'kawpow'],
    ['total', 'uptime_s', 3600],
    ['total', 'pool_hashrate', 59000000],
    ['0000:01:00.0', 'state', 'mining'],
    ['0000:03:00.0', 'state', 'mining'],
  ]);
});

test('Rigel dual mining and ambiguous pools', () => {
  const base = read('rigel/synthetic');
  const dual = {
    ...base,
    algorithm: 'kawpow+zil',
    hashrate: { kawpow: 1, zil: 2 },
    pools: {
      kawpow: [
        { state: 'connected', average_latency_ms: 5 },
        { state: 'connected', average_latency_ms: 6 },
      ],
    },
  };
  const r = mapStat(dual, TS, 'r');
  assert.equal(r.snapshots[0].hashrate_5s, 1);
  assert.equal(r.snapshots[0].stratum_latency_ms, null);
  assert.deepEqual(r.warnings, ['Rigel reports 2 usable pools for kawpow; latency left null']);
  assert.deepEqual(
    r.raw.filter((x) => x.field.endsWith('_2')).map((x) => [x.device, x.field, x.value]),
    [
      ['total', 'algorithm_2', 'zil'],
      ['total', 'hashrate_2', 2],
      ['0000:01:00.0', 'hashrate_2', null],
      ['0000:03:00.0', 'hashrate_2', null],
    ],
  );
});

test('dialects: sniffed, enforced when configured, foreign replies refused', () => {
  assert.equal(sniffDialect(read('gminer/1.34')), 'gminer');
  assert.equal(sniffDialect(read('rigel/synthetic')), 'rigel');
  assert.throws(
    () => mapStat(read('gminer/1.34'), TS, 'r', 'rigel'),
    (e) => e instanceof SourceError && e.kind === 'protocol' && /Configured dialect 'rigel'/.test(e.message),
  );
  for (const bad of [null, {}, { devices: [] }, { miner: 'GMiner' }, [], 'x'])
    assert.throws(
      () => mapStat(bad, TS, 'r'),
      (e) => e instanceof SourceError && e.kind === 'protocol',
    );
});

test('unknown GMiner units and devices without ids', () => {
  const r = mapStat(
    { miner: 'GMiner 1.0', speedUnit: 'G/W', devices: [{ speed: 3 }, { gpu_id: 4, speed: 2, bus_id: '?' }] },
    TS,
    'r',
  );
  assert.deepEqual(
    r.snapshots.map((s) => [s.device, s.hashrate_5s]),
    [
      ['total', null],
      ['gpu4', null],
    ],
  );
  assert.deepEqual(r.warnings, [
    "GMiner speed unit 'G/W' unknown; hash rates left null",
    'GMiner device without bus_id or gpu_id skipped',
  ]);
});

test('mutated fixtures map or are refused, never crash (property)', () => {
  for (const path of ['gminer/1.34', 'gminer/2.90', 'rigel/synthetic'])
    fc.assert(
      fc.property(mutationsOf(read(path)), (reply) => assertMapsOrRefuses(() => mapStat(reply, TS, 'r'))),
      { numRuns: 200, seed: 20261126 },
    );
});
