// Column chunks go back to the pool once a buffer's files are written (or the buffer is dropped at the
// memory bound) and serve the next buffers: no cell of one file ever shows up in another.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import pino from 'pino';
import { batchAt, ManualClock, powerAt } from '../../../test/helpers/parquet-batches.ts';
import { create } from './index.ts';
import { listFiles } from './layout.ts';

const root = mkdtempSync(join(tmpdir(), 'rigtune-parquet-pool-'));
after(() => rmSync(root, { recursive: true, force: true }));
const T0 = Date.parse('2026-03-01T06:00:00Z');
const DEVICES = 50;

/** Every snapshot row of the files, as `tick/device=power`, sorted. */
async function rowsOnDisk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of await listFiles(dir, 'snapshots')) {
    const rows = await parquetReadObjects({
      file: await asyncBufferFromFile(f.path),
      columns: ['ts', 'device', 'power_w'],
    });
    for (const r of rows) out.push(`${((r.ts as Date).getTime() - T0) / 1000}/${r.device}=${r.power_w}`);
  }
  return out.sort();
}

function expectedRows(ticks: readonly number[]): string[] {
  return ticks
    .flatMap((k) => Array.from({ length: DEVICES }, (_, d) => `${k}/gpu${d}=${powerAt(k, d)}`))
    .sort();
}

test('many files in a row and a disk outage past max_pending_rows: each file holds its own rows only', async () => {
  const parent = join(root, 'outage');
  mkdirSync(parent);
  const dir = join(parent, 'data');
  const clock = new ManualClock(T0);
  const sink = create(
    { data_dir: dir, max_file_rows: 300, max_pending_rows: 700, events: false },
    { clock, logger: pino({ level: 'silent' }) },
  );
  await sink.ready();
  // 6 ticks of 50 rows make a 300-row file; once written, its chunks serve the next buffer.
  for (let k = 0; k < 30; k++) {
    sink.write(batchAt('rig-a', T0 + k * 1000, k, DEVICES));
    if (k % 6 === 5) await sink.flush();
  }
  assert.deepEqual(await rowsOnDisk(dir), expectedRows([...Array(30).keys()]));
  assert.equal(sink.health().dropped, 0);

  // The disk fails (the folder, files and all, is gone): closed buffers wait; past 700 rows (both
  // datasets) the oldest are dropped, their chunks reused.
  rmSync(dir, { recursive: true });
  writeFileSync(dir, 'not a directory');
  for (let k = 30; k < 60; k++) sink.write(batchAt('rig-a', T0 + k * 1000, k, DEVICES));
  await assert.rejects(sink.flush());
  assert.ok(sink.health().dropped > 0);
  rmSync(dir);
  mkdirSync(dir);
  for (let k = 60; k < 72; k++) sink.write(batchAt('rig-a', T0 + k * 1000, k, DEVICES));
  await sink.close();
  // Whole ticks only, each row with its own values, no duplicates: the newest buffer, and as many of
  // the 42 ticks since the outage as were not dropped (dropped counts snapshot and score batches).
  const onDisk = await rowsOnDisk(dir);
  const ticks = [...new Set(onDisk.map((r) => Number(r.split('/')[0])))];
  assert.deepEqual(onDisk, expectedRows(ticks));
  assert.equal(ticks.length, 42 - sink.health().dropped / 2);
  for (const k of [66, 71]) assert.ok(ticks.includes(k), `tick ${k}`);
});
