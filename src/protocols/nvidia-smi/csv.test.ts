// The CSV parser over the real H100 capture (every line parsed, every value checked on four rows),
// each quirk as a case, and a fuzz check that no input makes it throw.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRow, parseHeader, parseRow, type SmiColumn, type SmiRow } from './csv.ts';
import { QUERY_FIELDS } from './query.ts';
import { zoneConverter } from './timestamp.ts';

const utc = zoneConverter('UTC');
const lines = readFileSync(new URL('./fixtures/h100/nvidia_smi_query_gpu_40s.csv', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l !== '');
const header = parseHeader(lines[0])!;
const rows = lines.slice(1).map((l, i) => parseRow(l, i + 2, header, utc));

test('H100 header: names as queried, units in brackets despite nounits, none on temperatures', () => {
  assert.deepEqual(
    header.map((c) => c.name),
    [...QUERY_FIELDS],
  );
  const unit = (name: string) => header.find((c) => c.name === name)?.unit;
  assert.equal(unit('power.draw'), 'W');
  assert.equal(unit('enforced.power.limit'), 'W');
  assert.equal(unit('clocks.current.sm'), 'MHz');
  assert.equal(unit('utilization.gpu'), '%');
  assert.equal(unit('fan.speed'), '%');
  assert.equal(unit('memory.used'), 'MiB');
  assert.equal(unit('temperature.gpu'), null);
  assert.equal(unit('pstate'), null);
  assert.equal(unit('clocks_event_reasons.active'), null);
});

test('H100 capture: all 40 data lines parse, in time order, 1 s apart', () => {
  assert.equal(rows.length, 40);
  const parsed = rows.filter(isRow);
  assert.equal(parsed.length, 40);
  for (let i = 1; i < parsed.length; i += 1) {
    const dt = parsed[i].ts! - parsed[i - 1].ts!;
    assert.ok(dt >= 1000 && dt <= 1010, `line ${parsed[i].line}: ${dt} ms`);
  }
  assert.equal(parsed.filter((r) => r.values['clocks_event_reasons.active'] === 4).length, 16);
  assert.ok(parsed.every((r) => r.values['fan.speed'] === null && r.nulls['fan.speed'] === '[N/A]'));
});

function expectRow(row: SmiRow, ts: string, values: Record<string, number | string | null>): void {
  assert.equal(new Date(row.ts!).toISOString(), ts);
  const common = {
    timestamp: Date.parse(ts),
    index: 0,
    name: 'NVIDIA H100 80GB HBM3',
    uuid: 'GPU-39762834-1690-1ce6-e823-b57c956e4780',
    'pci.bus_id': '00000000:00:06.0',
    'enforced.power.limit': 700,
    'power.max_limit': 700,
    'clocks.current.memory': 2619,
    'fan.speed': null,
    pstate: 'P0',
    'memory.total': 81559,
  };
  assert.deepEqual(row.values, { ...common, ...values });
}

test('H100 capture: every value of four rows (idle, first load, power-capped, last)', () => {
  const [idle, loaded, capped, last] = [0, 4, 24, 39].map((i) => rows[i] as SmiRow);
  assert.equal(idle.line, 2);
  expectRow(idle, '2026-11-26T16:25:03.110Z', {
    'power.draw': 72.16,
    'temperature.gpu': 36,
    'temperature.memory': 39,
    'clocks.current.sm': 345,
    'utilization.gpu': 0,
    'utilization.memory': 0,
    'clocks_event_reasons.active': 0x1,
    'memory.used': 0,
  });
  expectRow(loaded, '2026-11-26T16:25:07.125Z', {
    'power.draw': 99.12,
    'temperature.gpu': 38,
    'temperature.memory': 40,
    'clocks.current.sm': 1980,
    'utilization.gpu': 0,
    'utilization.memory': 0,
    'clocks_event_reasons.active': 0,
    'memory.used': 1809,
  });
  expectRow(capped, '2026-11-26T16:25:27.166Z', {
    'power.draw': 367.11,
    'temperature.gpu': 56,
    'temperature.memory': 47,
    'clocks.current.sm': 1455,
    'utilization.gpu': 100,
    'utilization.memory': 33,
    'clocks_event_reasons.active': 0x4,
    'memory.used': 2035,
  });
  expectRow(last, '2026-11-26T16:25:42.203Z', {
    'power.draw': 697.81,
    'temperature.gpu': 64,
    'temperature.memory': 58,
    'clocks.current.sm': 1365,
    'utilization.gpu': 100,
    'utilization.memory': 33,
    'clocks_event_reasons.active': 0x4,
    'memory.used': 2035,
  });
  assert.equal(last.line, 41);
});

const cols: SmiColumn[] = parseHeader(
  'timestamp, power.draw [W], fan.speed [%], memory.used [MiB], clocks_event_reasons.active, pstate',
)!;
const at = '2026/11/26 16:25:03.110';

test('quirk: values with units (a query without nounits) lose the unit of their header', () => {
  const row = parseRow(`${at}, 84.24 W, 38 %, 575 MiB, 0x0000000000000004, P2`, 2, cols, utc) as SmiRow;
  assert.deepEqual(row.values, {
    timestamp: Date.UTC(2026, 10, 26, 16, 25, 3, 110),
    'power.draw': 84.24,
    'fan.speed': 38,
    'memory.used': 575,
    'clocks_event_reasons.active': 4,
    pstate: 'P2',
  });
});

test('quirk: [N/A], [Not Supported], [Unknown Error] and bare N/A are null, with the reason kept', () => {
  const row = parseRow(`${at}, [Unknown Error], [N/A], N/A, [Not Supported], P0`, 2, cols, utc) as SmiRow;
  assert.equal(row.values['power.draw'], null);
  assert.equal(row.values['fan.speed'], null);
  assert.equal(row.values['memory.used'], null);
  assert.equal(row.values['clocks_event_reasons.active'], null);
  assert.deepEqual(row.nulls, {
    'power.draw': '[Unknown Error]',
    'fan.speed': '[N/A]',
    'memory.used': 'N/A',
    'clocks_event_reasons.active': '[Not Supported]',
  });
});

test('quirk: a bitmask wider than 2^53 is null rather than rounded', () => {
  const row = parseRow(`${at}, 1, 2, 3, 0xFFFFFFFFFFFFFFFF, P0`, 2, cols, utc) as SmiRow;
  assert.equal(row.values['clocks_event_reasons.active'], null);
});

test('garbage: wrong cell count, bad number, bad bitmask, bad timestamp — with line number', () => {
  const cases: [string, RegExp][] = [
    ['not csv', /expected 6 cells, got 1/],
    [`${at}, seventy, 2, 3, 0x1, P0`, /bad number power.draw 'seventy'/],
    [`${at}, 1, 2, 3, 4, P0`, /bad bitmask/],
    ['2026/02/30 00:00:00.000, 1, 2, 3, 0x1, P0', /bad timestamp/],
    [`${at}, 1, 2, 3, 0x1, `, /empty pstate/],
  ];
  for (const [text, reason] of cases) {
    const result = parseRow(text, 9, cols, utc);
    assert.ok(!isRow(result), text);
    assert.equal(result.line, 9);
    assert.match(result.reason, reason);
  }
});

test('a data line is not a header; a header cell needs a letter', () => {
  assert.equal(parseHeader(lines[1]), null);
  assert.equal(parseHeader('1, 2'), null);
  assert.deepEqual(parseHeader('power.draw [W]'), [{ name: 'power.draw', unit: 'W' }]);
});

test('fuzz: no line makes the parser throw; rows have one value per column', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (text) => {
      parseHeader(text);
      const result = parseRow(text, 1, header, utc);
      if (isRow(result)) assert.equal(Object.keys(result.values).length, header.length);
    }),
    { seed: 20261126, numRuns: 2000 },
  );
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.constantFrom('[N/A]', '0x1', 'P0', '12.5', '', 'x'), fc.string()), {
        minLength: 19,
        maxLength: 19,
      }),
      (cells) => {
        parseRow(cells.join(', '), 1, header, utc);
      },
    ),
    { seed: 7, numRuns: 2000 },
  );
});
