// The history reader over the sink's files and buffers: time range across files and memory, fields,
// device filter, snapshot+score join, limit and truncation, row-group skipping, and bad parameters.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { asyncBufferFromFile, parquetMetadataAsync, parquetScan } from 'hyparquet';
import pino from 'pino';
import { batchAt, ManualClock, powerAt, sepAt } from '../../../test/helpers/parquet-batches.ts';
import { isRigtuneError } from '../../core/errors.ts';
import type { HistoryQuery } from '../../core/sink.ts';
import { NUMERIC_FIELDS } from '../../core/snapshot.ts';
import { create, createParquetHistory, HISTORY_FIELDS, type ParquetSink } from './index.ts';
import { listFiles } from './layout.ts';

const root = mkdtempSync(join(tmpdir(), 'rigtune-history-'));
after(() => rmSync(root, { recursive: true, force: true }));
const T0 = Date.parse('2026-03-01T00:00:00Z') - 30_000;
const clock = new ManualClock(T0);
let sink: ParquetSink;

// 54 ticks of 3 rigs × 8 GPUs; files close every 120 rows (row groups of 100); ticks 50–53 (96 rows a
// dataset) stay in memory.
before(async () => {
  sink = create(
    { data_dir: root, max_file_rows: 120, row_group_rows: 100, events: false },
    { clock, logger: pino({ level: 'silent' }) },
  );
  await sink.ready();
  for (let k = 0; k < 50; k++) {
    for (const rig of ['rig-a', 'rig-b', 'rig-c']) sink.write(batchAt(rig, T0 + k * 1000, k, 8));
  }
  await sink.flush();
  for (let k = 50; k < 54; k++) {
    for (const rig of ['rig-a', 'rig-b', 'rig-c']) sink.write(batchAt(rig, T0 + k * 1000, k, 8));
  }
});
after(() => sink.close());

const q = (over: Partial<HistoryQuery>): HistoryQuery => ({
  rig: 'rig-b',
  fromMs: T0,
  toMs: T0 + 60_000,
  fields: null,
  limit: 10_000,
  ...over,
});

test('fields() lists the snapshot columns then the score columns', () => {
  const fields = sink.history().fields();
  assert.deepEqual(fields.slice(0, NUMERIC_FIELDS.length), [...NUMERIC_FIELDS]);
  for (const f of [
    'sep_score',
    'rupture_class',
    'lambda_hazard',
    'coherence',
    'channels_changing',
    'reject_rate',
  ]) {
    assert.ok(fields.includes(f), f);
  }
  assert.ok(!fields.includes('ts') && !fields.includes('rig') && !fields.includes('device'));
  assert.equal(fields, HISTORY_FIELDS);
});

test('one rig, whole range: files and buffered rows, oldest first, snapshot and score joined', async () => {
  const { rows, truncated } = await sink.history().query(q({ fields: ['power_w', 'sep_score'] }));
  assert.equal(truncated, false);
  assert.equal(rows.length, 54 * 8);
  rows.forEach((r, i) => {
    const k = Math.floor(i / 8);
    const d = i % 8;
    assert.deepEqual(r, {
      ts: T0 + k * 1000,
      rig: 'rig-b',
      device: `gpu${d}`,
      power_w: powerAt(k, d),
      sep_score: sepAt(k, d),
    });
  });
});

test('time range, device filter and all fields', async () => {
  const { rows } = await sink.history().query(q({ fromMs: T0 + 20_000, toMs: T0 + 53_000, device: 'gpu5' }));
  assert.equal(rows.length, 34);
  assert.equal(rows[0].ts, T0 + 20_000);
  assert.equal(rows[33].ts, T0 + 53_000);
  assert.deepEqual(Object.keys(rows[0]), ['ts', 'rig', 'device', ...HISTORY_FIELDS]);
  assert.equal(rows[0].rupture_class, 'none');
  assert.equal(rows[29].channels_changing, 'power_w,temp_core_c');
  assert.equal(rows[0].fan_pct, null);
  assert.equal(rows[0].hashrate_5s, 1e8 + 5e6 + 20);
});

test('limit returns the oldest rows and says truncated', async () => {
  const history = sink.history();
  const { rows, truncated } = await history.query(q({ fields: ['temp_core_c'], limit: 20 }));
  assert.equal(truncated, true);
  assert.equal(rows.length, 20);
  assert.equal(rows[19].ts, T0 + 2000);
  assert.equal(rows[19].device, 'gpu3');
  const exact = await history.query(q({ fields: [], device: 'gpu0', limit: 54 }));
  assert.equal(exact.truncated, false);
  assert.equal(exact.rows.length, 54);
  assert.deepEqual(exact.rows[0], { ts: T0, rig: 'rig-b', device: 'gpu0' });
});

test('an unknown rig or an empty range gives no rows', async () => {
  const history = sink.history();
  assert.deepEqual(await history.query(q({ rig: 'rig-z' })), { rows: [], truncated: false });
  assert.deepEqual(await history.query(q({ fromMs: T0 - 10 * 86_400_000, toMs: T0 - 1 })), {
    rows: [],
    truncated: false,
  });
});

test('a reader without the live buffers sees only what is in files', async () => {
  const history = createParquetHistory({ dataDir: root });
  const { rows } = await history.query(q({ fields: ['sep_score'] }));
  assert.equal(rows.length, 50 * 8);
});

test('row-group statistics let a scan skip groups of other rigs and other times', async () => {
  const files = await listFiles(root, 'snapshots');
  const big = files[0];
  const file = await asyncBufferFromFile(big.path);
  const metadata = await parquetMetadataAsync(file);
  const scan = await parquetScan({
    file,
    metadata,
    columns: ['ts'],
    pruningFilter: { $and: [{ rig: { $eq: 'rig-a' } }] },
  });
  assert.ok(metadata.row_groups.length >= 2);
  assert.ok(
    scan.ranges.length < metadata.row_groups.length,
    `${scan.ranges.length} of ${metadata.row_groups.length}`,
  );
});

test('bad parameters are RT_API_PARAM naming the parameter', async () => {
  const history = sink.history();
  const cases: Array<[Partial<HistoryQuery>, string]> = [
    [{ fields: ['power_w', 'nope'] }, 'fields'],
    [{ fields: ['ts'] }, 'fields'],
    [{ fromMs: T0 + 10, toMs: T0 }, 'from'],
    [{ fromMs: Number.NaN }, 'from'],
    [{ toMs: Number.POSITIVE_INFINITY }, 'to'],
    [{ limit: 0 }, 'limit'],
    [{ limit: 1.5 }, 'limit'],
    [{ limit: 1e9 }, 'limit'],
    [{ rig: '' }, 'rig'],
    [{ device: '' }, 'device'],
  ];
  for (const [over, field] of cases) {
    await assert.rejects(history.query(q(over)), (err) => {
      assert.ok(isRigtuneError(err, 'RT_API_PARAM'), String(err));
      assert.equal(err.where.field, field);
      return true;
    });
  }
  await assert.rejects(history.query(q({ fields: ['nope'] })), /unknown field 'nope'/);
});
