// mapLolminer over real captures of both schemas (1.0a2, 1.26: GPUs[]; 1.92: Workers[]+Algorithms[]),
// every field checked, plus schema sniffing, unknown units and malformed entries.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { assertMapsOrRefuses, mutationsOf } from '../../../test/helpers/json-mutations.ts';
import { assertSnapshot } from '../../../test/helpers/snapshot-assert.ts';
import { SourceError } from '../../core/errors.ts';
import { busIdOfPcieAddress } from './dialects/pcie-address.ts';
import { mapLolminer, sniffSchema } from './map.ts';

const read = (version: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${version}/summary.json`, import.meta.url), 'utf8'));
const TS = 1_700_000_000_000;
const id = (device: string) => ({ ts: TS, rig: 'rig-a', device });
const raws = (r: ReturnType<typeof mapLolminer>) => r.raw.map((x) => [x.device, x.field, x.value]);

test('1.26 (older schema, RTX 3080): mh/s → H/s, rejected = submitted − accepted, 0 °C mem = null', () => {
  const r = mapLolminer(read('1.26'), TS, 'rig-a');
  assert.deepEqual(
    r.snapshots.map((s) => s.device),
    ['total', '0000:01:00.0'],
  );
  assertSnapshot(r.snapshots[0], id('total'), {
    hashrate_5s: 91_550_000,
    accepted_shares: 35,
    rejected_shares: 0,
    power_w: 219.857,
    stratum_latency_ms: 12,
  });
  assertSnapshot(r.snapshots[1], id('0000:01:00.0'), {
    hashrate_5s: 91_550_000,
    power_w: 219.857,
    fan_pct: 88,
    temp_core_c: 47,
    accepted_shares: 35,
    rejected_shares: 0,
    hw_errors: 0,
  });
  assert.deepEqual(r.devices, [
    { device: 'total', model: 'lolMiner', firmware: '1.26' },
    { device: '0000:01:00.0', model: 'NVIDIA GeForce RTX 3080', pci_bus_id: '0000:01:00.0' },
  ]);
  assert.deepEqual(raws(r), [
    ['total', 'software', 'lolMiner 1.26'],
    ['total', 'schema', 'gpus'],
    ['total', 'algorithm', 'Ethash'],
    ['total', 'performance_unit', 'mh/s'],
    ['total', 'uptime_s', 1560],
    ['total', 'pool', 'eu1.ethermine.org:5555'],
    ['0000:01:00.0', 'best_share', 594262786537],
  ]);
  assert.deepEqual(r.warnings, []);
});

test('1.0a2 (older schema, Equihash): sol/s, "Temps (deg C)", zero power and latency = not measured', () => {
  const r = mapLolminer(read('1.0a2'), TS, 'rig-a');
  assertSnapshot(r.snapshots[0], id('total'), { hashrate_5s: 6.7, accepted_shares: 0, rejected_shares: 0 });
  assertSnapshot(r.snapshots[1], id('0000:01:00.0'), {
    hashrate_5s: 6.7,
    fan_pct: 75,
    temp_core_c: 49,
    accepted_shares: 0,
    rejected_shares: 0,
  });
  assert.deepEqual(r.devices[0], { device: 'total', model: 'lolMiner', firmware: '1.0 a2' });
  assert.deepEqual(raws(r).slice(2, 4), [
    ['total', 'algorithm', 'ZelHash'],
    ['total', 'coin', 'ZEL'],
  ]);
});

test('1.92 (newer schema, GTX 1060): Performance_Factor, per-worker arrays, decimal PCIE_Address', () => {
  const reply = read('1.92');
  // 5.6549161744285845 Mh/s as served (more digits than a literal here may carry).
  const totalMhs = (reply.Algorithms as Record<string, number>[])[0].Total_Performance;
  const r = mapLolminer(reply, TS, 'rig-a');
  assert.deepEqual(
    r.snapshots.map((s) => s.device),
    ['total', '0000:0b:00.0'],
  );
  assertSnapshot(r.snapshots[0], id('total'), {
    hashrate_5s: totalMhs * 1_000_000,
    accepted_shares: 68,
    rejected_shares: 0,
    stale_shares: 0,
    hw_errors: 0,
  });
  assertSnapshot(r.snapshots[1], id('0000:0b:00.0'), {
    hashrate_5s: 5_650_000,
    accepted_shares: 68,
    rejected_shares: 0,
    stale_shares: 0,
    hw_errors: 0,
    power_w: 86.118,
    clock_core_mhz: 1936,
    clock_mem_mhz: 3802,
    temp_core_c: 65,
    fan_pct: 38,
  });
  assert.deepEqual(r.devices[1], {
    device: '0000:0b:00.0',
    model: 'NVIDIA GeForce GTX 1060 3GB',
    pci_bus_id: '0000:0b:00.0',
  });
  assert.deepEqual(raws(r), [
    ['total', 'software', 'lolMiner 1.92'],
    ['total', 'schema', 'algorithms'],
    ['total', 'algorithm', 'NexaPoW'],
    ['total', 'performance_unit', 'Mh/s'],
    ['total', 'uptime_s', 3710],
    ['total', 'pool', 'nexa.f2pool.com:3400'],
    ['0000:0b:00.0', 'junction_temp_c', 73],
    ['0000:0b:00.0', 'lhr_unlock_pct', 0],
  ]);
});

test('dual mining keeps the second algorithm raw; unit text is the fallback factor', () => {
  const reply = read('1.92');
  const algos = reply.Algorithms as Record<string, unknown>[];
  const main = { ...algos[0], Performance_Factor: undefined, Performance_Unit: 'kh/s' };
  const second = { Algorithm: 'TON', Performance_Unit: 'Gh/s', Total_Performance: 2 };
  const r = mapLolminer({ ...reply, Algorithms: [main, second] }, TS, 'r');
  assert.equal(r.snapshots[0].hashrate_5s, (algos[0].Total_Performance as number) * 1000);
  assert.deepEqual(
    r.raw.filter((x) => /_2$/.test(x.field)).map((x) => [x.field, x.value]),
    [
      ['algorithm_2', 'TON'],
      ['hashrate_2', 2e9],
    ],
  );
});

test('unknown units leave hash rates null with a warning; bad entries are skipped', () => {
  const reply = read('1.26');
  const session = { ...(reply.Session as object), Performance_Unit: 'widgets/s', Submitted: 30 };
  const r = mapLolminer(
    { ...reply, Session: session, GPUs: [{ Name: 'x' }, { Index: 2, Performance: 5 }] },
    TS,
    'r',
  );
  assert.equal(r.snapshots[0].hashrate_5s, null);
  assert.equal(r.snapshots[0].rejected_shares, null); // submitted < accepted: no negative count
  assert.deepEqual(
    r.snapshots.map((s) => s.device),
    ['total', 'gpu2'],
  );
  assert.equal(r.snapshots[1].hashrate_5s, null);
  assert.deepEqual(r.warnings, [
    "lolMiner Performance_Unit 'widgets/s' unknown; hash rates left null",
    'lolMiner GPU entry without PCIE_Address or Index skipped',
  ]);
});

test('schema sniffing refuses what is not lolMiner', () => {
  assert.equal(sniffSchema(read('1.26')), 'gpus');
  assert.equal(sniffSchema(read('1.92')), 'algorithms');
  for (const bad of [null, [], {}, { GPUs: [] }, { Workers: [] }, 'x'])
    assert.throws(
      () => mapLolminer(bad, TS, 'r'),
      (e) => e instanceof SourceError && e.kind === 'protocol',
    );
});

test('PCIE_Address is decimal bus:device', () => {
  assert.equal(busIdOfPcieAddress('1:0'), '0000:01:00.0');
  assert.equal(busIdOfPcieAddress('11:0'), '0000:0b:00.0');
  assert.equal(busIdOfPcieAddress('255:31'), '0000:ff:1f.0');
  for (const bad of ['256:0', '0000:01:00.0', 'a:0', '', 3]) assert.equal(busIdOfPcieAddress(bad), null);
});

test('mutated fixtures map or are refused, never crash (property)', () => {
  for (const version of ['1.26', '1.0a2', '1.92'])
    fc.assert(
      fc.property(mutationsOf(read(version)), (reply) =>
        assertMapsOrRefuses(() => mapLolminer(reply, TS, 'r')),
      ),
      { numRuns: 200, seed: 20261126 },
    );
});
