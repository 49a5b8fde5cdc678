// The aba_markers dataset read back by an independent reader (hyparquet) and by DuckDB over the hive
// layout; one file per UTC date, atomic names, schema-version metadata.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { MARKERS_DATASET, type MarkerRow, MarkerWriter } from './markers.ts';
import { SCHEMA_VERSION_KEY } from './schema.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'rigtune-markers-'));
  dirs.push(d);
  return d;
}

const DAY1 = Date.parse('2025-03-01T23:59:58Z');
const row = (ts: number, phase: string, value: number | null): MarkerRow => ({
  ts_ms: ts,
  study_id: 's1',
  rig: 'rig1',
  device: 'gpu0',
  phase,
  treatment: 'power_limit_w=-20',
  setpoint_kind: value === null && phase === 'end' ? null : 'power_limit_w',
  setpoint_value: value,
});

test('markers are read back by hyparquet with their columns, types and schema version', async () => {
  const dir = tempDir();
  const w = await MarkerWriter.open(dir);
  const files = await w.write([row(DAY1, 'A1', 700), row(DAY1 + 1, 'B', null)]);
  assert.equal(files.length, 1);
  assert.match(files[0], /aba_markers\/date=2025-03-01\/part-\d{13}-\d{6}\.parquet$/);
  const file = await asyncBufferFromFile(files[0]);
  const meta = await parquetMetadataAsync(file);
  const kv = Object.fromEntries((meta.key_value_metadata ?? []).map((e) => [e.key, e.value]));
  assert.equal(kv[SCHEMA_VERSION_KEY], String(SCHEMA_VERSION));
  assert.equal(kv.rigtune_dataset, MARKERS_DATASET);
  const rows = await parquetReadObjects({ file, utf8: true });
  assert.equal(rows.length, 2);
  assert.equal(Number(rows[0].ts instanceof Date ? rows[0].ts.getTime() : rows[0].ts), DAY1);
  assert.equal(rows[0].phase, 'A1');
  assert.equal(rows[0].setpoint_value, 700);
  assert.equal(rows[1].setpoint_kind, 'power_limit_w');
  assert.equal(rows[1].setpoint_value, null);
});

test('rows spanning midnight go to one file per date; numbering continues after a reopen', async () => {
  const dir = tempDir();
  const w = await MarkerWriter.open(dir);
  await w.write([row(DAY1, 'A1', 700), row(DAY1 + 5000, 'B', 680)]);
  // A stray temp file of a crashed writer is removed on open.
  const part = join(dir, MARKERS_DATASET, 'date=2025-03-02');
  mkdirSync(part, { recursive: true });
  writeFileSync(join(part, '.part-1740873600000-000009.parquet.123.abcd.tmp'), 'junk');
  const w2 = await MarkerWriter.open(dir);
  const files = await w2.write([row(DAY1 + 10_000, 'A2', 700)]);
  assert.deepEqual(readdirSync(join(dir, MARKERS_DATASET)).sort(), ['date=2025-03-01', 'date=2025-03-02']);
  assert.ok(!readdirSync(part).some((n) => n.endsWith('.tmp')));
  assert.match(files[0], /-000002\.parquet$/);
});

test('DuckDB reads the dataset over the hive layout', async () => {
  const dir = tempDir();
  const w = await MarkerWriter.open(dir);
  await w.write([row(DAY1, 'A1', 700), row(DAY1 + 5000, 'B', 680)]);
  await w.write([row(DAY1 + 10_000, 'A2', 700), row(DAY1 + 20_000, 'end', null)]);
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const glob = join(dir, MARKERS_DATASET, '*', '*.parquet');
  const reader = await conn.runAndReadAll(
    `SELECT phase, setpoint_value, epoch_ms(ts) AS ms, CAST(date AS VARCHAR) AS date FROM read_parquet('${glob}', hive_partitioning=true) ORDER BY ts`,
  );
  const rows = reader.getRowObjectsJson();
  conn.closeSync();
  assert.deepEqual(
    rows.map((r) => [r.phase, r.setpoint_value, Number(r.ms), r.date]),
    [
      ['A1', 700, DAY1, '2025-03-01'],
      ['B', 680, DAY1 + 5000, '2025-03-02'],
      ['A2', 700, DAY1 + 10_000, '2025-03-02'],
      ['end', null, DAY1 + 20_000, '2025-03-02'],
    ],
  );
});
