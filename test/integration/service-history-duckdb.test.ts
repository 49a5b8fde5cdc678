// The service writing its Parquet history, read back by an independent reader (DuckDB, hive partitions):
// exactly the rows the service scored, the schema version in every file, and the history API agreeing.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import pino from 'pino';
import { SCHEMA_VERSION } from '../../src/core/sink.ts';
import { create as createEmbedded } from '../../src/sinks/embedded/index.ts';
import { create as createParquet } from '../../src/sinks/parquet/index.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { RecordingSink, startApi, startService, T0 } from './service-kit.ts';

const RIGS = { 'rig-a': 3, 'rig-b': 2 };
const TICKS = 60;
const dir = mkdtempSync(join(tmpdir(), 'rigtune-service-history-'));
let db: DuckDBInstance;
let conn: DuckDBConnection;

before(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
});

after(() => {
  conn.closeSync();
  db.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

type Row = Record<string, unknown>;

async function sql(query: string): Promise<Row[]> {
  return (await conn.runAndReadAll(query)).getRowObjectsJson() as Row[];
}

const files = (dataset: string): string =>
  `read_parquet('${dir}/${dataset}/*/*.parquet', hive_partitioning=true)`;

/** Every file and folder under `dir`, relative. */
function tree(d = dir): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tree(join(d, e.name)).map((p) => `${e.name}/${p}`) : [e.name],
  );
}

async function historyApi(base: string, rig: string, query: string): Promise<Row[]> {
  const reply = await fetch(`${base}/api/rigs/${rig}/history?${query}`);
  assert.equal(reply.status, 200, await reply.clone().text());
  const body = (await reply.json()) as { rows: Row[]; truncated: boolean };
  assert.equal(body.truncated, false);
  return body.rows;
}

test('Parquet history of a run: DuckDB reads back exactly the scored rows; the API agrees', async () => {
  const clock = new FakeClock(T0);
  const logger = pino({ level: 'silent' });
  // Small files so the run rolls several of them per dataset before stop() closes the rest.
  const parquet = createParquet(
    { data_dir: dir, max_file_rows: 100, row_group_rows: 100 },
    { clock, logger },
  );
  await parquet.ready();
  const store = createEmbedded({}, { clock });
  const recorder = new RecordingSink();
  const svc = await startService(RIGS, [recorder, store, parquet], clock);
  const api = await startApi({ state: store, history: parquet.history(), now: () => clock.nowMs() });
  try {
    await svc.ticks(TICKS);
    const snapshots = recorder.batches.flatMap((b) => b.snapshots);
    const scores = recorder.batches.flatMap((b) => b.scores);
    assert.equal(snapshots.length, (TICKS + 1) * 5);
    assert.equal(scores.length, snapshots.length);

    // While running, the API serves files and rows still in memory alike.
    const live = await historyApi(api.url, 'rig-b', `from=${T0}&to=${clock.nowMs()}&fields=power_w`);
    assert.deepEqual(
      live.map((r) => [r.ts, r.device, r.power_w]),
      snapshots.filter((s) => s.rig === 'rig-b').map((s) => [s.ts, s.device, s.power_w]),
    );

    await svc.service.stop();
    const names = tree();
    assert.ok(
      names.every((n) => /^(snapshots|scores|events)\/date=2026-03-01\/part-\d{13}-\d+\.parquet$/.test(n)),
      `only committed files, hive-partitioned: ${names.join(' ')}`,
    );
    assert.ok(names.filter((n) => n.startsWith('snapshots/')).length >= 3, 'the snapshot files rolled');

    // Counts and time range per device, both datasets.
    for (const dataset of ['snapshots', 'scores']) {
      const perDevice = await sql(
        `SELECT rig, device, count(*)::INTEGER AS n, epoch_ms(min(ts))::DOUBLE AS lo,
           epoch_ms(max(ts))::DOUBLE AS hi, any_value(date)::VARCHAR AS date
         FROM ${files(dataset)} GROUP BY rig, device ORDER BY rig, device`,
      );
      const want = Object.entries(RIGS).flatMap(([rig, devices]) =>
        Array.from({ length: devices }, (_, d) => ({
          rig,
          device: `gpu${d}`,
          n: TICKS + 1,
          lo: T0,
          hi: T0 + TICKS * 1000,
          date: '2026-03-01',
        })),
      );
      assert.deepEqual(perDevice, want, dataset);
    }

    // Every snapshot row, cell for cell, equals what the source read.
    const snapRows = await sql(
      `SELECT epoch_ms(ts)::DOUBLE AS ts, rig, device, power_w, temp_core_c, hashrate_5s, accepted_shares, fan_pct
       FROM ${files('snapshots')} ORDER BY rig, device, ts`,
    );
    const byKey = (a: { rig: string; device: string; ts: number }, b: typeof a) =>
      a.rig.localeCompare(b.rig) || a.device.localeCompare(b.device) || a.ts - b.ts;
    assert.deepEqual(
      snapRows,
      [...snapshots].sort(byKey).map((s) => ({
        ts: s.ts,
        rig: s.rig,
        device: s.device,
        power_w: s.power_w,
        temp_core_c: s.temp_core_c,
        hashrate_5s: s.hashrate_5s,
        accepted_shares: s.accepted_shares,
        fan_pct: null,
      })),
    );
    // Every score row carries the scorer's output.
    const scoreRows = await sql(
      `SELECT epoch_ms(ts)::DOUBLE AS ts, rig, device, samples, sep_score, rupture_class, change_prob
       FROM ${files('scores')} ORDER BY rig, device, ts`,
    );
    assert.deepEqual(
      scoreRows,
      [...scores].sort(byKey).map((s) => ({
        ts: s.ts,
        rig: s.rig,
        device: s.device,
        samples: s.samples,
        sep_score: s.sep_score,
        rupture_class: s.rupture_class,
        change_prob: s.change_prob,
      })),
    );

    const events = await sql(`SELECT count(*)::INTEGER AS n FROM ${files('events')}`);
    assert.deepEqual(events, [{ n: recorder.batches.flatMap((b) => b.events).length }]);

    // The schema version is in every file's key-value metadata.
    const versions = await sql(
      `SELECT file_name, value::VARCHAR AS version FROM parquet_kv_metadata('${dir}/*/*/*.parquet')
       WHERE key::VARCHAR = 'rigtune_schema_version'`,
    );
    assert.equal(versions.length, names.length, 'one version entry per file');
    assert.ok(versions.every((v) => v.version === String(SCHEMA_VERSION)));

    // The history API answers a time range with the same rows DuckDB finds (snapshot ⋈ score).
    const from = T0 + 10_000;
    const to = T0 + 30_000;
    const served = await historyApi(
      api.url,
      'rig-a',
      `from=${from}&to=${new Date(to).toISOString()}&fields=power_w,temp_core_c,sep_score,rupture_class`,
    );
    const expected = await sql(
      `SELECT epoch_ms(s.ts)::DOUBLE AS ts, s.rig, s.device, s.power_w, s.temp_core_c, c.sep_score,
         c.rupture_class
       FROM ${files('snapshots')} s JOIN ${files('scores')} c USING (ts, rig, device)
       WHERE s.rig = 'rig-a' AND epoch_ms(s.ts) BETWEEN ${from} AND ${to} ORDER BY s.ts, s.device`,
    );
    assert.equal(expected.length, 21 * 3);
    assert.deepEqual(served, expected);
  } finally {
    await svc.service.stop();
    await api.close();
  }
});
