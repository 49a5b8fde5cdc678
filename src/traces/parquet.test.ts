// Tests of the Parquet trace reader: files written with hyparquet-writer read back (row groups,
// INT64/BigInt, timestamp types, nulls), and the schema and time errors with code and where.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type ColumnSource, parquetWriteBuffer, type SchemaElement } from 'hyparquet-writer';
import { isRigtuneError } from '../core/errors.ts';
import { openTrace, type TraceRecord } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-parquet-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function writeParquet(
  columnData: ColumnSource[],
  extra: { schema?: SchemaElement[]; rowGroupSize?: number } = {},
) {
  const path = join(dir, `t${fileCount++}.parquet`);
  writeFileSync(path, new Uint8Array(parquetWriteBuffer({ columnData, ...extra })));
  return path;
}

async function readAll(path: string): Promise<TraceRecord[]> {
  const out: TraceRecord[] = [];
  for await (const r of (await openTrace(path)).records()) out.push(r);
  return out;
}

const T0 = Date.UTC(2024, 0, 1);

test('written with hyparquet-writer and read back across row groups', async () => {
  const n = 10;
  const path = writeParquet(
    [
      { name: 'ts', data: Array.from({ length: n }, (_, i) => BigInt(T0 + i * 1000)), type: 'TIMESTAMP' },
      { name: 'rig', data: Array.from({ length: n }, () => 'rig-a'), type: 'STRING' },
      { name: 'device', data: Array.from({ length: n }, (_, i) => `gpu${i % 2}`), type: 'STRING' },
      {
        name: 'power_w',
        data: Array.from({ length: n }, (_, i) => (i === 3 ? null : 200 + i / 4)),
        type: 'DOUBLE',
      },
      {
        name: 'accepted_shares',
        data: Array.from({ length: n }, (_, i) => BigInt(2 ** 40 + i)),
        type: 'INT64',
      },
      { name: 'fan_pct', data: Array.from({ length: n }, (_, i) => i), type: 'INT32' },
      { name: 'temp_core_c', data: Float32Array.from({ length: n }, (_, i) => 50.5 + i), type: 'FLOAT' },
    ],
    { rowGroupSize: 4 },
  );
  const reader = await openTrace(path);
  assert.equal(reader.format, 'parquet');
  assert.deepEqual(reader.numericColumns, ['power_w', 'accepted_shares', 'fan_pct', 'temp_core_c']);
  const progress: number[] = [];
  const rows: TraceRecord[] = [];
  for await (const r of reader.records((b) => progress.push(b))) rows.push(r);
  assert.equal(rows.length, n);
  assert.deepEqual(rows[3], {
    ts: T0 + 3000,
    rig: 'rig-a',
    device: 'gpu1',
    values: { power_w: null, accepted_shares: 2 ** 40 + 3, fan_pct: 3, temp_core_c: 53.5 },
    line: 4,
  });
  assert.equal(rows[9].values.power_w, 202.25);
  assert.equal(progress.length, 3);
  assert.equal(progress.at(-1), reader.sizeBytes);
});

test('epoch seconds in INT64, microsecond timestamps and ISO text all give epoch ms', async () => {
  const secs = writeParquet([
    { name: 'ts', data: [1_700_000_000n, 1_700_000_001n], type: 'INT64' },
    { name: 'v', data: [1, 2], type: 'DOUBLE' },
  ]);
  assert.deepEqual(
    (await readAll(secs)).map((r) => r.ts),
    [1_700_000_000_000, 1_700_000_001_000],
  );
  const micros = writeParquet(
    [
      { name: 'time', data: [BigInt(T0) * 1000n + 250n, BigInt(T0 + 1) * 1000n] },
      { name: 'v', data: [1, 2] },
    ],
    {
      schema: [
        { name: 'root', num_children: 2 },
        { name: 'time', type: 'INT64', repetition_type: 'REQUIRED', converted_type: 'TIMESTAMP_MICROS' },
        { name: 'v', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      ],
    },
  );
  assert.deepEqual(
    (await readAll(micros)).map((r) => r.ts),
    [T0 + 0.25, T0 + 1],
  );
  const iso = writeParquet([
    { name: 'timestamp', data: ['2024-01-01T00:00:00Z', '2024-01-01T00:00:01'], type: 'STRING' },
    { name: 'v', data: [1, 2], type: 'DOUBLE' },
  ]);
  assert.deepEqual(
    (await readAll(iso)).map((r) => r.ts),
    [T0, T0 + 1000],
  );
});

test('a text column that is not ts/rig/device is RT_INPUT_COLUMN naming it', async () => {
  const path = writeParquet([
    { name: 'ts', data: [1, 2], type: 'DOUBLE' },
    { name: 'name', data: ['a', 'b'], type: 'STRING' },
  ]);
  await assert.rejects(openTrace(path), (err) => {
    assert.ok(isRigtuneError(err, 'RT_INPUT_COLUMN'), String(err));
    assert.deepEqual(err.where, { file: path, column: 2, field: 'name' });
    assert.match(err.message, /BYTE_ARRAY \(STRING\)|UTF8/);
    return true;
  });
});

test('a boolean column is RT_INPUT_COLUMN', async () => {
  const path = writeParquet([
    { name: 'ts', data: [1, 2], type: 'DOUBLE' },
    { name: 'ok', data: [true, false], type: 'BOOLEAN' },
  ]);
  await assert.rejects(
    openTrace(path),
    (err) => isRigtuneError(err, 'RT_INPUT_COLUMN') && err.where.field === 'ok',
  );
});

test('time not increasing is RT_INPUT_TIME at the row number', async () => {
  const path = writeParquet(
    [
      { name: 'ts', data: [3, 4, 5, 5], type: 'DOUBLE' },
      { name: 'v', data: [1, 2, 3, 4], type: 'DOUBLE' },
    ],
    { rowGroupSize: 2 },
  );
  await assert.rejects(readAll(path), (err) => {
    assert.ok(isRigtuneError(err, 'RT_INPUT_TIME'), String(err));
    assert.deepEqual(err.where, { file: path, line: 4, field: 'ts', rig: 'rig0', device: 'dev0' });
    assert.match(err.message, /5000 ms at line 4 after 5000 ms at line 3/);
    return true;
  });
});

test('a null time is RT_INPUT_TIME', async () => {
  const path = writeParquet([
    { name: 'ts', data: [3, null], type: 'DOUBLE' },
    { name: 'v', data: [1, 2], type: 'DOUBLE' },
  ]);
  await assert.rejects(readAll(path), (err) => isRigtuneError(err, 'RT_INPUT_TIME') && err.where.line === 2);
});

test('a corrupt Parquet file is RT_INPUT_PARSE', async () => {
  const path = join(dir, 'corrupt.parquet');
  writeFileSync(path, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7), Buffer.from('PAR1')]));
  await assert.rejects(
    openTrace(path),
    (err) => isRigtuneError(err, 'RT_INPUT_PARSE') && err.where.file === path,
  );
});
