// mapXmrig over the XMRig 6.17.1-dev API documentation payloads (fixtures/6.17.1-dev), every field
// checked, plus the schema sniffing and the odd shapes (several threads per GPU, no bus id).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { assertMapsOrRefuses, mutationsOf } from '../../../test/helpers/json-mutations.ts';
import { assertSnapshot } from '../../../test/helpers/snapshot-assert.ts';
import { SourceError } from '../../core/errors.ts';
import { mapXmrig } from './map.ts';

const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/6.17.1-dev/${name}.json`, import.meta.url), 'utf8'));
const summary = read('summary');
const backends = read('backends');
const TS = 1_700_000_000_000;
const id = (device: string) => ({ ts: TS, rig: 'rig-a', device });

test('6.17.1-dev summary + backends → total, cpu and one GPU by bus id', () => {
  const r = mapXmrig({ summary, backends }, TS, 'rig-a');
  assert.deepEqual(
    r.snapshots.map((s) => s.device),
    ['total', 'cpu', '0000:01:00.0'],
  );
  assertSnapshot(r.snapshots[0], id('total'), {
    hashrate_5s: 1207.19,
    hashrate_1m: 1210.82,
    accepted_shares: 3,
    rejected_shares: 0,
    stratum_latency_ms: 405,
  });
  assertSnapshot(r.snapshots[1], id('cpu'), { hashrate_5s: 1235.78, hashrate_1m: 1228.89 });
  assertSnapshot(r.snapshots[2], id('0000:01:00.0'), {
    hashrate_5s: 246.77,
    hashrate_1m: 247.26,
    temp_core_c: 69,
    power_w: 161,
    clock_core_mhz: 1328,
    clock_mem_mhz: 3662,
    fan_pct: 100,
  });
  assert.deepEqual(r.devices, [
    { device: 'total', model: 'XMRig', firmware: '6.17.1-dev' },
    { device: 'cpu', model: 'Intel(R) Core(TM) i7-4700MQ CPU @ 2.40GHz' },
    { device: '0000:01:00.0', model: 'NVIDIA GeForce GTX 970', pci_bus_id: '0000:01:00.0' },
  ]);
  assert.deepEqual(
    r.raw.map((x) => [x.device, x.field, x.value]),
    [
      ['total', 'version', '6.17.1-dev'],
      ['total', 'algo', 'rx/0'],
      ['total', 'uptime_s', 106],
      ['total', 'hashrate_15m', null],
      ['total', 'hashrate_highest', 1316.85],
      ['total', 'hashes_total', 165638],
      ['total', 'diff_current', 37638],
      ['total', 'pool', 'some.pool:20064'],
      ['total', 'pool_failures', 0],
      ['total', 'paused', false],
      ['0000:01:00.0', 'backend', 'cuda'],
    ],
  );
  assert.deepEqual(r.warnings, []);
});

test('summary alone (backends not read) → the total only', () => {
  const r = mapXmrig({ summary, backends: null }, TS, 'rig-a');
  assert.deepEqual(
    r.snapshots.map((s) => s.device),
    ['total'],
  );
});

test('a foreign or proxy summary is refused with the right kind', () => {
  const protocol = (v: unknown) => () => mapXmrig({ summary: v, backends: null }, TS, 'r');
  for (const bad of [null, [], { hashrate: {} }, { hashrate: { total: 5 } }, 'x'])
    assert.throws(protocol(bad), (e) => e instanceof SourceError && e.kind === 'protocol');
  assert.throws(
    protocol({ kind: 'proxy', hashrate: { total: [1, 2, 3, 4, 5, 6] } }),
    (e) => e instanceof SourceError && e.kind === 'unsupported',
  );
});

test('threads sharing a GPU add up; a thread without bus id is named by index; junk is skipped', () => {
  const cuda = {
    type: 'cuda',
    threads: [
      {
        index: 0,
        bus_id: '01:00.0',
        hashrate: [100, 200, null],
        health: { temperature: 60, fan_speed: [40, 60] },
      },
      { index: 0, bus_id: '01:00.0', hashrate: [50, null, null], health: { temperature: 99 } },
      { index: 3, hashrate: [7, 8, 9], health: { power: 0 } },
      { hashrate: [1, 1, 1] },
    ],
  };
  const r = mapXmrig(
    { summary, backends: [cuda, { type: 'fpga' }, { type: 'cpu', enabled: false }] },
    TS,
    'rig-a',
  );
  const gpu = r.snapshots.find((s) => s.device === '0000:01:00.0')!;
  assert.equal(gpu.hashrate_5s, 150);
  assert.equal(gpu.hashrate_1m, null); // one thread's window not filled: the sum is unknown
  assert.equal(gpu.temp_core_c, 60);
  assert.equal(gpu.fan_pct, 50);
  const byIndex = r.snapshots.find((s) => s.device === 'gpu3')!;
  assert.equal(byIndex.hashrate_5s, 7);
  assert.equal(byIndex.power_w, null); // 0 W = no sensor
  assert.deepEqual(r.warnings, [
    'XMRig cuda thread without bus_id or index skipped',
    "XMRig backend type 'fpga' not mapped",
  ]);
  assert.equal(
    r.snapshots.some((s) => s.device === 'cpu'),
    false,
  );
  const notArray = mapXmrig({ summary, backends: { error: 'x' } }, TS, 'r');
  assert.match(notArray.warnings[0], /not an array/);
});

test('counters never go negative or appear from nothing', () => {
  const odd = {
    hashrate: { total: ['1', 'x', null] },
    results: { shares_good: 5, shares_total: 3 },
    connection: { ping: 0 },
  };
  const total = mapXmrig({ summary: odd, backends: null }, TS, 'r').snapshots[0];
  assert.equal(total.hashrate_5s, 1);
  assert.equal(total.hashrate_1m, null);
  assert.equal(total.accepted_shares, 5);
  assert.equal(total.rejected_shares, null);
  assert.equal(total.stratum_latency_ms, null);
  assert.equal(total.diff_accepted, null);
});

test('mutated fixtures map or are refused, never crash (property)', () => {
  fc.assert(
    fc.property(mutationsOf(summary), mutationsOf(backends), (s, b) =>
      assertMapsOrRefuses(() => mapXmrig({ summary: s, backends: b }, TS, 'r')),
    ),
    { numRuns: 300, seed: 20261126 },
  );
});
