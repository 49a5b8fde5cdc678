// mapJson and the options checks: unit conversion to the field's unit, per-element devices, missing
// and non-numeric values → null with a warning naming the mapping, config errors naming the index.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { assertMapsOrRefuses, mutationsOf } from '../../../test/helpers/json-mutations.ts';
import { assertSnapshot } from '../../../test/helpers/snapshot-assert.ts';
import { compileMappings, mapJson } from './map.ts';
import { type HttpJsonOptionsInput, HttpJsonOptionsSchema } from './options.ts';
import { fitsField, toFieldUnit, unitsFor } from './units.ts';

const TS = 1_700_000_000_000;
const base = { url: 'http://127.0.0.1:1/x' };

function compile(mappings: HttpJsonOptionsInput['mappings'], extra: Partial<HttpJsonOptionsInput> = {}) {
  const options = HttpJsonOptionsSchema.parse({ ...base, ...extra, mappings });
  return { mappings: compileMappings(options.mappings), device: options.device };
}

const pool = {
  result: {
    workers: [
      { name: 'rig-1', hashrate: '95.5', shares: { valid: 120, stale: 2 }, temp_f: 176 },
      { name: 'rig-2', hashrate: 80, shares: { valid: 100 }, temp_f: null },
      { hashrate: 'n/a', shares: { valid: 1, stale: 0 } },
    ],
    'avg latency': 0.042,
    efficiency: 0.985,
  },
};

test('a pool document: units converted, devices named per element, missing and bad values null', () => {
  const { mappings, device } = compile(
    [
      {
        path: '$.result.workers[*].hashrate',
        field: 'hashrate_1m',
        unit: 'MH/s',
        device: { path: '$.result.workers[*].name' },
      },
      {
        path: '$.result.workers[*].shares.valid',
        field: 'accepted_shares',
        device: { path: '$.result.workers[*].name' },
      },
      {
        path: '$.result.workers[*].shares.stale',
        field: 'stale_shares',
        device: { path: '$.result.workers[*].name' },
      },
      {
        path: '$.result.workers[*].temp_f',
        field: 'temp_core_c',
        unit: 'F',
        device: { path: '$.result.workers[*].name' },
      },
      { path: '$.result["avg latency"]', field: 'stratum_latency_ms', unit: 's' },
      { path: '$.result.efficiency', field: 'util_pct', unit: 'ratio' },
      { path: '$.result.power', field: 'power_w', unit: 'kW' },
    ],
    { device: 'account' },
  );
  const r = mapJson(pool, mappings, TS, 'rig-a', device);
  assert.deepEqual(
    r.snapshots.map((s) => s.device),
    ['rig-1', 'rig-2', 'dev2', 'account'],
  );
  assertSnapshot(
    r.snapshots[0],
    { ts: TS, rig: 'rig-a', device: 'rig-1' },
    {
      hashrate_1m: 95_500_000,
      accepted_shares: 120,
      stale_shares: 2,
      temp_core_c: 80,
    },
  );
  assertSnapshot(
    r.snapshots[1],
    { ts: TS, rig: 'rig-a', device: 'rig-2' },
    { hashrate_1m: 80_000_000, accepted_shares: 100 },
  );
  assertSnapshot(
    r.snapshots[2],
    { ts: TS, rig: 'rig-a', device: 'dev2' },
    { accepted_shares: 1, stale_shares: 0 },
  );
  assertSnapshot(
    r.snapshots[3],
    { ts: TS, rig: 'rig-a', device: 'account' },
    { stratum_latency_ms: 42, util_pct: 98.5 },
  );
  assert.deepEqual(r.warnings, [
    'mappings[0] ($.result.workers[*].hashrate → hashrate_1m): 1 value(s) not a number; left null',
    'mappings[0] ($.result.workers[*].hashrate → hashrate_1m): 1 element(s) without a device name; named dev<i>',
    'mappings[1] ($.result.workers[*].shares.valid → accepted_shares): 1 element(s) without a device name; named dev<i>',
    'mappings[2] ($.result.workers[*].shares.stale → stale_shares): 1 of 3 elements have no value; left null',
    'mappings[2] ($.result.workers[*].shares.stale → stale_shares): 1 element(s) without a device name; named dev<i>',
    'mappings[3] ($.result.workers[*].temp_f → temp_core_c): 1 of 3 elements have no value; left null',
    'mappings[3] ($.result.workers[*].temp_f → temp_core_c): 1 element(s) without a device name; named dev<i>',
    'mappings[6] ($.result.power → power_w): $.result.power not found; left null',
  ]);
});

test('a document of another shape: every field null, warnings, no throw', () => {
  const { mappings, device } = compile([
    { path: '$.result.workers[*].hashrate', field: 'hashrate_1m' },
    { path: 'a.b[0].c', field: 'power_w', device: 'psu' },
  ]);
  for (const doc of [null, 'text', [1, 2], { result: 5 }]) {
    const r = mapJson(doc, mappings, TS, 'r', device);
    assert.deepEqual(
      r.snapshots.map((s) => [s.device, s.power_w]),
      [['psu', null]],
    );
    assert.equal(r.warnings.length, 2);
  }
});

test('config errors name the mapping index and the path', () => {
  const issues = (mappings: unknown[]) => {
    const r = HttpJsonOptionsSchema.safeParse({ ...base, mappings });
    assert.equal(r.success, false);
    return r.error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];
  };
  assert.deepEqual(
    issues([
      { path: '$.ok', field: 'power_w' },
      { path: '$.a[x]', field: 'power_w', device: 'b' },
    ]),
    [
      [
        'mappings.1.path',
        "mappings[1]: bad path '$.a[x]': expected a non-negative index, '*' or a quoted key inside [ ] at character 5",
      ],
    ],
  );
  assert.deepEqual(issues([{ path: '$.p', field: 'hashrate_5s', unit: 'W' }]), [
    [
      'mappings.0.unit',
      "mappings[0]: unit 'W' does not fit field 'hashrate_5s' (use one of H/s, kH/s, MH/s, GH/s, TH/s, PH/s)",
    ],
  ]);
  assert.deepEqual(
    issues([{ path: '$.w[*].h', field: 'hashrate_5s', device: 'one' }]).map((x) => x[0]),
    ['mappings.0.device'],
  );
  assert.deepEqual(
    issues([{ path: '$.w[*].h', field: 'hashrate_5s', device: { path: '$.name' } }]).map((x) => x[0]),
    ['mappings.0.device.path'],
  );
  assert.deepEqual(
    issues([{ path: '$.h', field: 'hashrate_5s', device: { path: '$.[' } }]).map((x) => x[0]),
    ['mappings.0.device.path'],
  );
  assert.deepEqual(
    issues([
      { path: '$.a', field: 'power_w' },
      { path: '$.b', field: 'power_w' },
    ]),
    [['mappings.1.field', "mappings[1]: fills 'power_w' for the same device as mappings[0]"]],
  );
  assert.equal(HttpJsonOptionsSchema.safeParse({ ...base, mappings: [] }).success, false);
  assert.equal(
    HttpJsonOptionsSchema.safeParse({ ...base, mappings: [{ path: '$.a', field: 'watts' }] }).success,
    false,
  );
});

test('units: field dimensions and conversions', () => {
  assert.deepEqual(unitsFor('temp_mem_c'), ['C', 'F']);
  assert.deepEqual(unitsFor('accepted_shares'), ['count']);
  assert.deepEqual(unitsFor('energy_j'), ['J', 'kJ', 'Wh', 'kWh']);
  assert.deepEqual(unitsFor('fan_rpm'), ['rpm']);
  assert.deepEqual(unitsFor('clock_mem_mhz'), ['MHz', 'GHz']);
  assert.deepEqual(unitsFor('throttle_flags'), ['count']);
  assert.equal(fitsField('%', 'fan_pct'), true);
  assert.equal(fitsField('ms', 'power_w'), false);
  assert.equal(toFieldUnit(212, 'F'), 100);
  assert.equal(toFieldUnit(1.5, 'kWh'), 5.4e6);
  assert.equal(toFieldUnit(2, 'GHz'), 2000);
  assert.equal(toFieldUnit(3, 'TH/s'), 3e12);
});

test('any document maps without throwing and with finite numbers only (property)', () => {
  const { mappings, device } = compile([
    {
      path: '$.result.workers[*].hashrate',
      field: 'hashrate_1m',
      unit: 'PH/s',
      device: { path: '$.result.workers[*].name' },
    },
    { path: '$.result["avg latency"]', field: 'stratum_latency_ms', unit: 's' },
    { path: '$.t', field: 'temp_core_c', unit: 'F' },
  ]);
  fc.assert(
    fc.property(fc.oneof(mutationsOf(pool), fc.jsonValue()), (doc) =>
      assertMapsOrRefuses(() => mapJson(doc, mappings, TS, 'r', device)),
    ),
    { numRuns: 300, seed: 20261126 },
  );
});
