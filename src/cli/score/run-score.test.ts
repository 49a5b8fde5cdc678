// Tests of `rigtune score` end to end on real files: outputs, events on a known step, Parquet input,
// and bad input that must fail with file/line/field and leave no output file behind.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { isRigtuneError } from '../../core/errors.ts';
import type { RuptureEvent, ScoreTick } from '../../pipeline/index.ts';
import { runScore, type ScoreRunOptions } from './run-score.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-score-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 200 samples of power at 1 Hz: 200 W ± noise, stepping to 260 W at sample 120. */
function stepSeries(): number[] {
  const rand = mulberry32(7);
  return Array.from({ length: 200 }, (_, i) => (i < 120 ? 200 : 260) + (rand() - 0.5) * 4);
}

const T0 = 1_790_000_000_000;
const base: ScoreRunOptions = { events: true, ticks: true, ignoreUnknown: false };

function sink() {
  const chunks: string[] = [];
  return { chunks, stdout: { write: (c: string) => chunks.push(c) } };
}

test('a power step yields one event whose ts_start is the step and whose detection follows it', async () => {
  const csv = join(dir, 'step.csv');
  writeFileSync(
    csv,
    `ts,power_w\n${stepSeries()
      .map((v, i) => `${T0 + i * 1000},${v.toFixed(2)}`)
      .join('\n')}\n`,
  );
  const out = join(dir, 'step.ndjson');
  const { stdout, chunks } = sink();
  const result = await runScore(csv, { ...base, out }, { stdout });
  assert.equal(chunks.length, 0, 'nothing on stdout when --out is given');
  const lines = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const ticks = lines.filter((l) => l.type === 'tick') as ScoreTick[];
  const events = lines.filter((l) => l.type === 'event') as RuptureEvent[];
  assert.equal(ticks.length, 200);
  assert.equal(result.records, 200);
  assert.equal(events.length, 1, JSON.stringify(events));
  assert.ok(Math.abs(events[0].ts_start - (T0 + 120_000)) <= 2000, `ts_start ${events[0].ts_start - T0}`);
  assert.ok(events[0].ts_detected >= events[0].ts_start);
  assert.ok(events[0].ts_detected - (T0 + 120_000) <= 10_000, 'flagged within 10 s');
  assert.deepEqual(events[0].channels, ['power_w']);
  assert.equal(events[0].rig, 'rig0');
  const last = ticks.at(-1)!;
  assert.ok(last.sep_score !== null && last.sep_score >= 0 && last.sep_score <= 100);
  assert.ok(last.structure !== null && last.structure.n === 31);
});

test('events-only stream and events in their own file', async () => {
  const csv = join(dir, 'step2.csv');
  writeFileSync(
    csv,
    `ts,power_w\n${stepSeries()
      .map((v, i) => `${T0 / 1000 + i},${v}`)
      .join('\n')}\n`,
  );
  const { stdout, chunks } = sink();
  await runScore(csv, { ...base, ticks: false }, { stdout });
  assert.equal(chunks.length, 1);
  assert.equal(JSON.parse(chunks[0]).type, 'event');
  const eventsOut = join(dir, 'ev.ndjson');
  const s2 = sink();
  await runScore(csv, { ...base, eventsOut }, { stdout: s2.stdout });
  assert.equal(s2.chunks.length, 200);
  assert.equal(readFileSync(eventsOut, 'utf8').trim().split('\n').length, 1);
});

test('Parquet input scores like CSV input', async () => {
  const values = stepSeries();
  const path = join(dir, 'step.parquet');
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'ts', data: values.map((_, i) => BigInt(T0 + i * 1000)), type: 'INT64' },
      { name: 'power_w', data: values, type: 'DOUBLE' },
    ],
  });
  writeFileSync(path, new Uint8Array(buf));
  const events: RuptureEvent[] = [];
  const { stdout } = sink();
  await runScore(path, { ...base, ticks: false }, { stdout, onEvent: (e) => events.push(e) });
  assert.equal(events.length, 1);
  assert.ok(Math.abs(events[0].ts_start - (T0 + 120_000)) <= 2000);
});

test('bad input fails with file, line and field and leaves no output file', async () => {
  const cases: [string, string, string, Record<string, unknown>][] = [
    ['nonmono.csv', `ts,power_w\n${T0},1\n${T0 + 1000},2\n${T0 + 500},3\n`, 'RT_INPUT_TIME', { line: 4 }],
    [
      'garbage.csv',
      `ts,power_w\n${T0},1\n${T0 + 1000},abc\n`,
      'RT_INPUT_PARSE',
      { line: 3, field: 'power_w' },
    ],
    ['unknown.csv', `ts,pwr\n${T0},1\n`, 'RT_INPUT_COLUMN', { field: 'pwr' }],
    [
      'broken.ndjson',
      `{"ts":${T0},"power_w":1}\n{"ts":${T0 + 1000},"power_w":\n`,
      'RT_INPUT_PARSE',
      { line: 2 },
    ],
  ];
  for (const [name, text, code, where] of cases) {
    const file = join(dir, name);
    writeFileSync(file, text);
    const out = join(dir, `${name}.out`);
    await assert.rejects(runScore(file, { ...base, out }, sink()), (err) => {
      assert.ok(isRigtuneError(err, code as never), `${name}: ${String(err)}`);
      assert.equal(err.where.file, file);
      for (const [k, v] of Object.entries(where))
        assert.equal((err.where as Record<string, unknown>)[k], v, `${name} ${k}`);
      return true;
    });
    assert.equal(existsSync(out), false, `${name}: no half-written output`);
  }
  await assert.rejects(runScore(join(dir, 'missing.csv'), base, sink()), (err) =>
    isRigtuneError(err, 'RT_INPUT_NOT_FOUND'),
  );
});

test('--ignore-unknown scores the known columns', async () => {
  const file = join(dir, 'extra.csv');
  writeFileSync(file, `ts,power_w,my_col\n${T0},100,1\n${T0 + 1000},101,2\n`);
  const { stdout, chunks } = sink();
  await runScore(file, { ...base, ignoreUnknown: true }, { stdout });
  assert.equal(chunks.length, 2);
  assert.equal(JSON.parse(chunks[0]).channels.my_col, undefined);
});
