// A snapshots file of the Parquet history sink is a valid trace for `rigtune score`: the trace reader
// (src/traces) opens it, finds ts/rig/device and every numeric snapshot field, and reads the values.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { NUMERIC_FIELDS } from '../../src/core/snapshot.ts';
import { create } from '../../src/sinks/parquet/index.ts';
import { openTrace } from '../../src/traces/index.ts';
import { batchAt, ManualClock, powerAt } from '../helpers/parquet-batches.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-parquet-trace-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('rigtune score reads a snapshots file the sink wrote', async () => {
  const t0 = Date.parse('2026-03-01T12:00:00Z');
  const clock = new ManualClock(t0);
  const sink = create({ data_dir: dir, row_group_rows: 100 }, { clock, logger: pino({ level: 'silent' }) });
  for (let k = 0; k < 40; k++) {
    for (const rig of ['rig-a', 'rig-b']) sink.write(batchAt(rig, t0 + k * 1000, k, 6));
  }
  await sink.close();
  const part = join(dir, 'snapshots', 'date=2026-03-01');
  const [name] = readdirSync(part);
  const trace = await openTrace(join(part, name));
  assert.equal(trace.format, 'parquet');
  assert.deepEqual(trace.numericColumns, [...NUMERIC_FIELDS]);
  const records = [];
  for await (const r of trace.records()) records.push(r);
  assert.equal(records.length, 480);
  const gpu2 = records.filter((r) => r.rig === 'rig-b' && r.device === 'gpu2');
  assert.equal(gpu2.length, 40);
  gpu2.forEach((r, k) => {
    assert.equal(r.ts, t0 + k * 1000);
    assert.equal(r.values.power_w, powerAt(k, 2));
    assert.equal(r.values.fan_pct, null);
  });
});
