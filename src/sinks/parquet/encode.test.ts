// Files of noisy measurements (pages stored as snappy literals), constants and nulls, in both codecs:
// DuckDB and hyparquet read every cell back exactly, in file order.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { batchAt } from '../../../test/helpers/parquet-batches.ts';
import type { RigTickBatch } from '../../core/sink.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { ColumnBuffer } from './buffer.ts';
import { writeSegmentFile } from './encode.ts';
import { DATASETS } from './schema.ts';

const root = mkdtempSync(join(tmpdir(), 'rigtune-parquet-encode-'));
let db: DuckDBInstance;
let conn: DuckDBConnection;
before(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
});
after(() => {
  conn.closeSync();
  db.closeSync();
  rmSync(root, { recursive: true, force: true });
});

const T0 = Date.parse('2026-03-01T06:00:00Z');
const DEVICES = 400;
const TICKS = 30;

/** 12,000 snapshots: noisy hashrate and power (no snappy gain), a constant, a counter, sparse nulls. */
function batches(): RigTickBatch[] {
  let s = 42;
  const noise = (): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const out: RigTickBatch[] = [];
  for (let k = 0; k < TICKS; k++) {
    const batch = batchAt('rig-a', T0 + k * 1000, k, DEVICES);
    const snapshots = batch.snapshots.map(
      (snap, d): Snapshot => ({
        ...snap,
        hashrate_5s: 1.2e8 + noise() * 1e6,
        power_w: d % 37 === k % 37 ? null : 250 + noise() * 20,
        power_limit_w: 300,
        energy_j: (k + 1000) * 260.5,
      }),
    );
    out.push({ ...batch, snapshots });
  }
  return out;
}

test('DuckDB and hyparquet read every cell of noisy, constant and null columns, both codecs', async () => {
  const buffer = new ColumnBuffer(DATASETS.snapshots);
  const input = batches();
  for (const b of input) buffer.append(b, 0);
  const [segment] = buffer.segments();
  const expected = [...segment.order].map((r) => input[Math.floor(r / DEVICES)].snapshots[r % DEVICES]);
  for (const codec of ['SNAPPY', 'UNCOMPRESSED'] as const) {
    const path = join(root, `${codec}.parquet`);
    const written = await writeSegmentFile(path, buffer, segment, { rowGroupRows: 5000, codec });
    assert.equal(written.rows, DEVICES * TICKS);
    const rows = (
      await conn.runAndReadAll(
        `SELECT epoch_ms(ts)::DOUBLE AS ts, rig, device, hashrate_5s, power_w, power_limit_w, energy_j, fan_pct FROM read_parquet('${path}')`,
      )
    ).getRowObjectsJson();
    const file = await asyncBufferFromFile(path);
    const objects = await parquetReadObjects({ file, columns: ['hashrate_5s', 'power_w'] });
    assert.equal(rows.length, expected.length);
    expected.forEach((e, i) => {
      const row = { ...e, ts: e.ts, fan_pct: null };
      const got = rows[i];
      assert.deepEqual(
        [
          got.ts,
          got.rig,
          got.device,
          got.hashrate_5s,
          got.power_w,
          got.power_limit_w,
          got.energy_j,
          got.fan_pct,
        ],
        [row.ts, row.rig, row.device, row.hashrate_5s, row.power_w, 300, row.energy_j, null],
        `${codec} row ${i}`,
      );
      assert.deepEqual([objects[i].hashrate_5s, objects[i].power_w], [e.hashrate_5s, e.power_w]);
    });
  }
});
