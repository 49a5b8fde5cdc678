// The Parquet sink end to end on disk: a few thousand rows across two UTC dates read back by DuckDB
// (an independent reader) and hyparquet; temp files of a crash; size, time and retention bounds.

import assert from 'node:assert/strict';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import pino from 'pino';
import { batchAt, ManualClock, powerAt, sepAt } from '../../../test/helpers/parquet-batches.ts';
import { isRigtuneError } from '../../core/errors.ts';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { NUMERIC_FIELDS } from '../../core/snapshot.ts';
import { create, type ParquetOptionsInput, type ParquetSink } from './index.ts';

const root = mkdtempSync(join(tmpdir(), 'rigtune-parquet-'));
const logger = pino({ level: 'silent' });
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

let dirs = 0;
const freshDir = (): string => join(root, `d${dirs++}`);
const MIDNIGHT = Date.parse('2026-03-01T00:00:00Z');
const T0 = MIDNIGHT - 50_000;
const DEVICES = 20;
const TICKS = 100;
const RIGS = ['rig-a', 'rig-b'];

function sinkAt(dir: string, clock: ManualClock, extra: ParquetOptionsInput = {}): ParquetSink {
  return create({ data_dir: dir, ...extra }, { clock, logger });
}

/** Two rigs × 20 GPUs × 100 one-second ticks from 50 s before midnight UTC: 4000 rows per dataset. */
function writeTicks(sink: ParquetSink, clock: ManualClock, ticks = TICKS): void {
  for (let k = 0; k < ticks; k++) {
    for (const rig of RIGS) sink.write(batchAt(rig, T0 + k * 1000, k, DEVICES));
    clock.advance(1000);
  }
}

async function sql(query: string): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(query);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name).slice(dir.length + 1));
    }
  };
  walk(dir);
  return out.sort();
}

const shared = freshDir();
before(async () => {
  const clock = new ManualClock(T0);
  const sink = sinkAt(shared, clock, { row_group_rows: 500 });
  writeTicks(sink, clock);
  await sink.close();
});

test('files are hive-partitioned by UTC date, named part-<start>-<seq>, no temp files left', () => {
  const files = filesUnder(shared);
  for (const f of files) {
    assert.match(f, /^(snapshots|scores|events)\/date=2026-0(2-28|3-01)\/part-\d{13}-\d{6}\.parquet$/);
  }
  assert.deepEqual(
    files.map((f) => f.split('/').slice(0, 2).join('/')),
    [
      'events/date=2026-02-28',
      'events/date=2026-03-01',
      'scores/date=2026-02-28',
      'scores/date=2026-03-01',
      'snapshots/date=2026-02-28',
      'snapshots/date=2026-03-01',
    ],
  );
  const first = files.find((f) => f.startsWith('snapshots/date=2026-02-28')) as string;
  assert.equal(basename(first).slice(5, 18), String(T0));
});

test('DuckDB reads the snapshots: row counts per date partition, types, nulls and values', async () => {
  const glob = `read_parquet('${shared}/snapshots/*/*.parquet', hive_partitioning=true)`;
  assert.deepEqual(
    await sql(`SELECT date::VARCHAR AS d, count(*)::INTEGER AS n FROM ${glob} GROUP BY 1 ORDER BY 1`),
    [
      { d: '2026-02-28', n: 2000 },
      { d: '2026-03-01', n: 2000 },
    ],
  );
  const types = await sql(
    `SELECT typeof(ts) AS t, typeof(date) AS d, typeof(rig) AS r, typeof(power_w) AS p FROM ${glob} LIMIT 1`,
  );
  assert.deepEqual(types, [{ t: 'TIMESTAMP', d: 'DATE', r: 'VARCHAR', p: 'DOUBLE' }]);
  let nullPower = 0;
  for (let k = 0; k < TICKS; k++)
    for (let d = 0; d < DEVICES; d++) if (powerAt(k, d) === null) nullPower += RIGS.length;
  const [counts] = await sql(
    `SELECT count(*) FILTER (WHERE power_w IS NULL)::INTEGER AS p, count(*) FILTER (WHERE fan_pct IS NULL)::INTEGER AS f FROM ${glob}`,
  );
  assert.deepEqual(counts, { p: nullPower, f: 4000 });
  const rows = await sql(
    `SELECT epoch_ms(ts)::BIGINT::VARCHAR AS t, power_w, throttle_flags, accepted_shares, date::VARCHAR AS d FROM ${glob} WHERE rig = 'rig-b' AND device = 'gpu3' ORDER BY ts`,
  );
  assert.equal(rows.length, TICKS);
  rows.forEach((r, k) => {
    assert.equal(Number(r.t), T0 + k * 1000);
    assert.equal(r.power_w, powerAt(k, 3));
    assert.equal(r.throttle_flags, k % 5 === 0 ? 0x20 : 0);
    assert.equal(r.accepted_shares, k * 2);
    assert.equal(r.d, k < 50 ? '2026-02-28' : '2026-03-01');
  });
  const cols = (await sql(`DESCRIBE SELECT * FROM ${glob}`)).map((r) => r.column_name);
  assert.deepEqual(cols, ['ts', 'rig', 'device', ...NUMERIC_FIELDS, 'date']);
});

test('DuckDB reads the scores and events; every file carries the schema version', async () => {
  const scores = `read_parquet('${shared}/scores/*/*.parquet', hive_partitioning=true)`;
  const [s] = await sql(
    `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE sep_score IS NULL)::INTEGER AS nulls, count(*) FILTER (WHERE channels_changing = 'power_w,temp_core_c')::INTEGER AS ch, count(*) FILTER (WHERE coherence IS NULL)::INTEGER AS nostruct, max(samples)::INTEGER AS samples FROM ${scores}`,
  );
  assert.deepEqual(s, { n: 4000, nulls: 40, ch: 80, nostruct: 80, samples: 100 });
  const [one] = await sql(
    `SELECT sep_score, rupture_class, health_bit, health_reasons, reject_rate_ci95_high FROM ${scores} WHERE rig = 'rig-a' AND device = 'gpu1' AND epoch_ms(ts) = ${T0 + 7000}`,
  );
  assert.deepEqual(one, {
    sep_score: sepAt(7, 1),
    rupture_class: 'none',
    health_bit: 1,
    health_reasons: 'temp,power',
    reject_rate_ci95_high: 0.02,
  });
  const events = await sql(
    `SELECT rig, device, class, hazard, (epoch_ms(ts) - epoch_ms(ts_start))::INTEGER AS lead FROM read_parquet('${shared}/events/*/*.parquet', hive_partitioning=true) ORDER BY ts, rig`,
  );
  assert.equal(events.length, 4);
  assert.deepEqual(events[0], { rig: 'rig-a', device: 'gpu0', class: 'meso', hazard: 0.9, lead: 5000 });
  const kv = await sql(
    `SELECT DISTINCT value::VARCHAR AS v FROM parquet_kv_metadata('${shared}/*/*/*.parquet') WHERE key::VARCHAR = 'rigtune_schema_version'`,
  );
  assert.deepEqual(kv, [{ v: String(SCHEMA_VERSION) }]);
});

test('hyparquet reads a file back: typed columns, rows ordered by rig, device, time', async () => {
  const name = filesUnder(shared).find((f) => f.startsWith('snapshots/date=2026-03-01')) as string;
  const file = await asyncBufferFromFile(join(shared, name));
  const meta = await parquetMetadataAsync(file);
  assert.equal(meta.num_rows, 2000n);
  assert.equal(meta.row_groups.length, 4);
  assert.deepEqual(
    meta.key_value_metadata?.find((kv) => kv.key === 'rigtune_schema_version')?.value,
    String(SCHEMA_VERSION),
  );
  const rows = await parquetReadObjects({ file, columns: ['ts', 'rig', 'device', 'power_w', 'fan_pct'] });
  assert.equal(rows.length, 2000);
  assert.equal(rows[0].rig, 'rig-a');
  assert.equal(rows[0].device, 'gpu0');
  assert.equal((rows[0].ts as Date).getTime(), MIDNIGHT);
  assert.equal(rows[1].device, 'gpu0');
  assert.equal(rows[0].fan_pct, null);
  assert.equal(rows[1999].rig, 'rig-b');
  assert.equal(rows[1999].device, 'gpu9');
  assert.equal(rows[1999].power_w, powerAt(TICKS - 1, 9));
});

test('a temp file of a crash is never globbed, and is recovered (complete) or removed at start', async () => {
  const dir = freshDir();
  const part = join(dir, 'snapshots', 'date=2026-03-01');
  mkdirSync(part, { recursive: true });
  const good = filesUnder(shared).find((f) => f.startsWith('snapshots/date=2026-03-01')) as string;
  copyFileSync(join(shared, good), join(part, `.${basename(good)}.999.0badc0de.tmp`));
  writeFileSync(
    join(part, '.part-0000000000001-000007.parquet.999.deadbeef.tmp'),
    readFileSync(join(shared, good)).subarray(0, 100),
  );
  const glob = `read_parquet('${dir}/snapshots/*/*.parquet', hive_partitioning=true)`;
  await assert.rejects(sql(`SELECT count(*) FROM ${glob}`), /No files found/);
  const clock = new ManualClock(MIDNIGHT);
  const sink = sinkAt(dir, clock);
  await sink.ready();
  assert.deepEqual(readdirSync(part), [basename(good)]);
  assert.deepEqual(await sql(`SELECT count(*)::INTEGER AS n FROM ${glob}`), [{ n: 2000 }]);
  sink.write(batchAt('rig-c', MIDNIGHT + 60_000, 0, 2));
  await sink.close();
  // The next file's sequence number is past the recovered one.
  const seqs = readdirSync(part).map((n) => Number(n.slice(19, 25)));
  assert.ok(seqs[1] > seqs[0], String(seqs));
});

test('a file closes at the row bound and at the age bound, without a flush', async () => {
  const dir = freshDir();
  const clock = new ManualClock(T0);
  const sink = sinkAt(dir, clock, { max_file_rows: 300, max_file_age_ms: 10_000, events: false });
  await sink.ready();
  for (let k = 0; k < 8; k++) sink.write(batchAt('rig-a', T0 + k * 1000, k, 40));
  await waitFor(() => countFiles(dir, 'snapshots') === 1 && sink.health().queued === 0);
  sink.write(batchAt('rig-a', T0 + 8000, 8, 40));
  assert.equal(sink.health().queued, 1);
  clock.advance(9_000);
  await turns(100);
  assert.equal(countFiles(dir, 'snapshots'), 1);
  clock.advance(1_000);
  await waitFor(() => countFiles(dir, 'snapshots') === 2 && sink.health().queued === 0);
  const glob = `read_parquet('${dir}/snapshots/*/*.parquet')`;
  assert.deepEqual(await sql(`SELECT count(*)::INTEGER AS n FROM ${glob}`), [{ n: 360 }]);
  await sink.close();
});

function countFiles(dir: string, dataset: string): number {
  return filesUnder(dir).filter((f) => f.startsWith(`${dataset}/`) && f.endsWith('.parquet')).length;
}

/** Lets the event loop run `n` turns (the background writer would have acted by then). */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Event-driven wait: checks after each turn of the event loop (no timers, no wall-clock bound). */
async function waitFor(check: () => boolean, turns = 100_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (check()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  assert.fail('condition not reached');
}

test('retention deletes partitions older than retention_days, then the oldest files past max_total_bytes', async () => {
  const dir = freshDir();
  const day = 86_400_000;
  for (const back of [40, 31, 5, 1]) {
    const clock = new ManualClock(MIDNIGHT - back * day);
    const sink = sinkAt(dir, clock, { retention_days: null, events: false });
    sink.write(batchAt('rig-a', MIDNIGHT - back * day + 1000, 1, 4));
    await sink.close();
  }
  const dates = (): string[] => readdirSync(join(dir, 'snapshots')).sort();
  assert.equal(dates().length, 4);
  const clock = new ManualClock(MIDNIGHT);
  const sink = sinkAt(dir, clock, { retention_days: 30, events: false });
  await sink.ready();
  assert.deepEqual(dates(), ['date=2026-02-24', 'date=2026-02-28']);
  await sink.close();
  const bytes = filesUnder(dir).map((f) => readFileSync(join(dir, f)).length);
  const keepOne = Math.max(...bytes) * 2 + 1; // one snapshots and one scores file
  const sized = sinkAt(dir, new ManualClock(MIDNIGHT), {
    retention_days: 30,
    max_total_bytes: keepOne,
    events: false,
  });
  await sized.ready();
  assert.deepEqual(dates(), ['date=2026-02-28']);
  assert.deepEqual(readdirSync(join(dir, 'scores')), ['date=2026-02-28']);
  await sized.close();
});

test('a failing disk: write never throws, flush rejects RT_OUTPUT_WRITE, rows are kept and written later', async () => {
  const parent = freshDir();
  mkdirSync(parent);
  const dir = join(parent, 'data');
  writeFileSync(dir, 'not a directory');
  const clock = new ManualClock(T0);
  const sink = sinkAt(dir, clock, { events: false });
  sink.write(batchAt('rig-a', T0, 0, 3));
  await sink.ready();
  await assert.rejects(sink.flush(), (err) => isRigtuneError(err, 'RT_OUTPUT_WRITE'));
  const h = sink.health();
  assert.equal(h.ok, false);
  assert.equal(h.queued, 1);
  assert.match(String(h.lastError), /data/);
  sink.write(batchAt('rig-a', T0 + 1000, 1, 3));
  rmSync(dir);
  mkdirSync(dir);
  await sink.flush();
  assert.equal(sink.health().ok, true);
  assert.equal(sink.health().queued, 0);
  assert.deepEqual(
    await sql(`SELECT count(*)::INTEGER AS n FROM read_parquet('${dir}/snapshots/*/*.parquet')`),
    [{ n: 6 }],
  );
  await sink.close();
  await sink.close();
  sink.write(batchAt('rig-a', T0 + 2000, 2, 3));
  assert.equal(sink.health().dropped, 1);
  assert.equal(dirname(dir), parent);
});
