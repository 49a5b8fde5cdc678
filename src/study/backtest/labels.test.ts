// Label files: the simulator's ground truth, operator incident lists in NDJSON and CSV, and every bad
// line rejected with its file, line and field.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRigtuneError } from '../../core/errors.ts';
import { labelFormatOf, parseLabels, splitCsvLine } from './labels.ts';

test('the simulator ground-truth line reads as it is written by rigtune sim', () => {
  const text =
    '{"id":"r1","kind":"fan_failure","rig":"rig3","device":"gpu1","ts_start":1793534724000,"ts_end":null,"severity":0.68}\n' +
    '{"id":"r2","kind":"psu_sag","rig":"rig0","device":null,"ts_start":1793535209000,"ts_end":1793535326000,"severity":0.9}\n';
  const [a, b] = parseLabels(text, 'run.events.ndjson');
  assert.deepEqual(
    [a.id, a.kind, a.rig, a.device, a.startMs, a.endMs, a.line],
    ['r1', 'fan_failure', 'rig3', 'gpu1', 1793534724000, null, 1],
  );
  assert.deepEqual([b.device, b.endMs, b.line], [null, 1793535326000, 2]);
});

test('an incident list in CSV: ISO or epoch times, empty device = whole rig, empty end = open', () => {
  const text =
    '# incidents\nrig,device,start,end,kind\nr1,gpu0,2026-11-01T12:00:00Z,2026-11-01T12:10:00Z,fan\n"r2",,1793534724,,"pool, slow"\n';
  assert.equal(labelFormatOf('x.csv', text), 'csv');
  const [a, b] = parseLabels(text, 'incidents.csv');
  assert.deepEqual(
    [a.rig, a.device, a.startMs, a.endMs, a.kind, a.id],
    ['r1', 'gpu0', Date.UTC(2026, 10, 1, 12), Date.UTC(2026, 10, 1, 12, 10), 'fan', 'incidents.csv:3'],
  );
  assert.deepEqual(
    [b.rig, b.device, b.startMs, b.endMs, b.kind],
    ['r2', null, 1793534724000, null, 'pool, slow'],
  );
  assert.deepEqual(splitCsvLine('a,"b ""q""",c', 'f', 1), ['a', 'b "q"', 'c']);
});

test('NDJSON with start/end names and ISO times; the format is sniffed without an extension', () => {
  const text = '\n{"rig":"r","start":"2026-11-01 12:00:00","end":"2026-11-01 12:00:30","kind":"k"}\n';
  assert.equal(labelFormatOf('incidents.txt', text), 'ndjson');
  const [l] = parseLabels(text, 'incidents.txt');
  assert.deepEqual([l.device, (l.endMs ?? 0) - l.startMs, l.line], [null, 30_000, 2]);
});

const fails = (text: string, file: string, code: string, line: number, field?: string) =>
  assert.throws(
    () => parseLabels(text, file),
    (e) =>
      isRigtuneError(e) &&
      e.code === code &&
      e.where.file === file &&
      e.where.line === line &&
      e.where.field === field,
    `${file}: ${text}`,
  );

test('bad lines fail with file, line and field', () => {
  const ok = '{"rig":"r","start":1,"kind":"k"}\n';
  fails(`${ok}{"rig":"r","start":1`, 'a.ndjson', 'RT_INPUT_PARSE', 2);
  fails(`${ok}[1,2]\n`, 'a.ndjson', 'RT_INPUT_PARSE', 2);
  fails(`${ok}{"start":1,"kind":"k"}\n`, 'a.ndjson', 'RT_INPUT_PARSE', 2, 'rig');
  fails(`${ok}{"rig":"r","start":1}\n`, 'a.ndjson', 'RT_INPUT_PARSE', 2, 'kind');
  fails(`${ok}{"rig":"r","kind":"k"}\n`, 'a.ndjson', 'RT_INPUT_TIME', 2, 'start');
  fails(`${ok}{"rig":"r","start":"yesterday","kind":"k"}\n`, 'a.ndjson', 'RT_INPUT_TIME', 2, 'start');
  fails(`${ok}{"rig":"r","start":100,"end":50,"kind":"k"}\n`, 'a.ndjson', 'RT_INPUT_TIME', 2, 'end');
  fails(`${ok}{"rig":"r","device":7,"start":1,"kind":"k"}\n`, 'a.ndjson', 'RT_INPUT_PARSE', 2, 'device');
  fails('rig,start\nr,1\n', 'b.csv', 'RT_INPUT_COLUMN', 1, 'kind');
  fails('rig,start,kind\nr,1\n', 'b.csv', 'RT_INPUT_PARSE', 2);
  fails('rig,start,kind\nr,1,k\nr,"1,k\n', 'b.csv', 'RT_INPUT_PARSE', 3);
  fails('rig,start,kind\nr,,k\n', 'b.csv', 'RT_INPUT_TIME', 2, 'start');
});

test('an empty file has no labels', () => {
  assert.deepEqual(parseLabels('', 'e.ndjson'), []);
  assert.deepEqual(parseLabels('\n# nothing\n', 'e.csv'), []);
});
