// Tests of the audit sink: every score, event, advice and action becomes one typed line, files open
// with a header and rotate at UTC midnight, failures are counted and logged once a minute.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { batchAt } from '../../../test/helpers/parquet-batches.ts';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { create, readAuditLog } from './index.ts';

const root = mkdtempSync(join(tmpdir(), 'rigtune-audit-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
const freshDir = () => join(root, `d${dirCount++}`);

/** A logger that keeps what it is asked to log. */
function collectingLogger() {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) => {
    lines.push({ level, obj, msg });
  };
  return { lines, logger: { warn: at('warn'), error: at('error') } as never };
}

test('scores, events, advice and actions are logged in order, one typed line each', async () => {
  const clock = new FakeClock(Date.UTC(2026, 2, 1, 10, 0, 0));
  const dir = freshDir();
  const { logger, lines } = collectingLogger();
  const sink = create({ dir }, { clock, logger });
  const batch = batchAt('rig "a"\n', clock.nowMs(), 49, 3);
  sink.write(batch);
  sink.writeControl({ kind: 'advice', rig: 'rig "a"\n', ts: clock.nowMs(), payload: { lower_power_w: 20 } });
  sink.writeControl({ kind: 'action', rig: 'rig "a"\n', ts: clock.nowMs(), payload: { set: 'power' } });
  assert.equal(sink.health().queued, 6);
  await sink.flush();
  const log = await readAuditLog(dir);
  assert.deepEqual(
    log.records.map((r) => r.type),
    ['tick', 'tick', 'tick', 'event', 'advice', 'action'],
  );
  assert.deepEqual(log.records.slice(0, 4), [...batch.scores, ...batch.events]);
  assert.deepEqual(log.records[4], {
    type: 'advice',
    ts: clock.nowMs(),
    rig: 'rig "a"\n',
    payload: { lower_power_w: 20 },
  });
  assert.deepEqual(log.files.length, 1);
  assert.deepEqual(log.files[0].header, {
    type: 'header',
    log: 'rigtune-audit',
    schema: SCHEMA_VERSION,
    first_ms: clock.nowMs(),
  });
  assert.equal(basename(log.files[0].path), 'audit-20260301-100000-000.ndjson');
  assert.deepEqual(log.truncated, []);
  assert.deepEqual(sink.health(), { ok: true, queued: 0, spooled: 0, dropped: 0, lastError: null });
  assert.equal(sink.stats().synced, 6);
  assert.deepEqual(lines, []);
  await sink.close();
});

test('each UTC day gets its own file, each opening with a header', async () => {
  const clock = new FakeClock(Date.UTC(2026, 2, 1, 23, 59, 59, 500));
  const dir = freshDir();
  const sink = create({ dir }, { clock, logger: collectingLogger().logger });
  sink.write(batchAt('r1', clock.nowMs(), 1, 2));
  await clock.advance(1000);
  sink.write(batchAt('r1', clock.nowMs(), 2, 2));
  await sink.close();
  assert.deepEqual(readdirSync(dir).sort(), [
    'audit-20260301-235959-000.ndjson',
    'audit-20260302-000000-000.ndjson',
  ]);
  const log = await readAuditLog(dir);
  assert.deepEqual(
    log.files.map((f) => [f.header?.first_ms, f.records]),
    [
      [Date.UTC(2026, 2, 1, 23, 59, 59, 500), 2],
      [Date.UTC(2026, 2, 2, 0, 0, 0, 500), 2],
    ],
  );
});

test('writes after close are dropped, counted, and logged once a minute', async () => {
  const clock = new FakeClock(Date.UTC(2026, 2, 1));
  const { logger, lines } = collectingLogger();
  const sink = create({ dir: freshDir() }, { clock, logger });
  await sink.close();
  await sink.close();
  sink.write(batchAt('r1', clock.nowMs(), 1, 2));
  sink.writeControl({ kind: 'action', rig: 'r1', ts: clock.nowMs(), payload: {} });
  assert.equal(sink.health().dropped, 3);
  assert.deepEqual(
    lines.map((l) => l.msg),
    ['Audit record after close dropped.'],
  );
  await clock.advance(60_000);
  sink.write(batchAt('r1', clock.nowMs(), 2, 1));
  assert.equal(lines.length, 2);
  assert.equal(lines[1].obj.suppressed, 2);
});

test('a disk that refuses the directory: records dropped, health says why, one log line per minute', async () => {
  const clock = new FakeClock(Date.UTC(2026, 2, 1));
  const blocker = freshDir();
  writeFileSync(blocker, 'a file where the directory should be');
  const { logger, lines } = collectingLogger();
  const sink = create({ dir: join(blocker, 'audit') }, { clock, logger });
  sink.write(batchAt('r1', clock.nowMs(), 1, 2));
  await sink.flush();
  sink.write(batchAt('r1', clock.nowMs(), 2, 2));
  await sink.flush();
  const h = sink.health();
  assert.deepEqual([h.ok, h.dropped, h.queued], [false, 4, 0]);
  assert.match(h.lastError ?? '', /ENOTDIR/);
  assert.deepEqual(
    lines.map((l) => [l.msg, l.obj.code]),
    [['Audit log write failed.', 'RT_OUTPUT_WRITE']],
  );
  await sink.close();
});
