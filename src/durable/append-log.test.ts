// Tests of the consumable append log: order across segments, read/commit semantics, deletion of consumed
// segments, recovery (torn tail, leftover records) after a restart, byte bound, disk failures.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../core/errors.ts';
import { AppendLog, listSegments } from './index.ts';
import { segmentName } from './log-segments.ts';

const root = mkdtempSync(join(tmpdir(), 'rigtune-append-log-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
const freshDir = () => join(root, `d${dirCount++}`);

/** Reads and commits everything, `batch` records at a time. */
async function drain(log: AppendLog, batch = 3): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const { records, cursor } = await log.read(batch);
    if (records.length === 0) return out;
    out.push(...records);
    await log.commit(cursor);
  }
}

test('records come back in order across segments; consumed segments are deleted', async () => {
  const dir = freshDir();
  const log = await AppendLog.open({ dir, name: 'spool', segmentMaxBytes: 40 });
  const recs = Array.from({ length: 20 }, (_, i) => JSON.stringify({ i, s: 'é' }));
  for (const r of recs) log.append(r);
  assert.equal(log.pendingRecords, 20);
  await log.flush();
  assert.ok((await listSegments(dir, 'spool')).length > 2);
  assert.deepEqual(await drain(log), recs);
  assert.equal(log.pendingRecords, 0);
  assert.deepEqual(readdirSync(dir), []);
  log.append('after');
  assert.deepEqual(await drain(log), ['after']);
  await log.close();
  await log.close();
});

test('reading twice without a commit gives the same records; stale cursors are ignored', async () => {
  const log = await AppendLog.open({ dir: freshDir() });
  for (const r of ['a', 'b', 'c', 'd']) log.append(r);
  const first = await log.read(2);
  assert.deepEqual(first.records, ['a', 'b']);
  assert.deepEqual((await log.read(2)).records, ['a', 'b']);
  await log.commit(first.cursor);
  await log.commit(first.cursor);
  assert.equal(log.pendingRecords, 2);
  assert.deepEqual((await log.read(10)).records, ['c', 'd']);
  await log.close();
});

test('appends interleaved with reads keep the order (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.oneof(
          fc.string({ maxLength: 30 }).map((s) => ({ add: s.replace(/\n/g, ' ') })),
          fc.nat(4),
        ),
        {
          maxLength: 60,
        },
      ),
      fc.integer({ min: 16, max: 200 }),
      async (ops, segmentMaxBytes) => {
        const log = await AppendLog.open({ dir: freshDir(), segmentMaxBytes });
        const added: string[] = [];
        const got: string[] = [];
        for (const op of ops) {
          if (typeof op === 'number') {
            const { records, cursor } = await log.read(op);
            got.push(...records);
            await log.commit(cursor);
          } else {
            added.push(op.add);
            log.append(op.add);
          }
        }
        got.push(...(await drain(log, 5)));
        await log.close();
        assert.deepEqual(got, added);
      },
    ),
    { numRuns: 40, seed: 4 },
  );
});

test('a reopened log replays what was not committed, and cuts a torn last line', async () => {
  const dir = freshDir();
  const log = await AppendLog.open({ dir, segmentMaxBytes: 12 });
  for (const r of ['one', 'two', 'three', 'four', 'five']) log.append(r);
  await log.commit((await log.read(3)).cursor);
  await log.commit((await log.read(1)).cursor);
  await log.close();
  const files = await listSegments(dir);
  const last = join(dir, files[files.length - 1]);
  writeFileSync(last, `${readFileSync(last, 'utf8')}{"torn":`);
  writeFileSync(join(dir, segmentName('log', 99)), '');
  const again = await AppendLog.open({ dir, segmentMaxBytes: 12 });
  // Commits are not persisted: a partly consumed segment is read again from its start.
  assert.equal(again.pendingRecords, 2);
  assert.ok(!readFileSync(last, 'utf8').includes('torn'));
  again.append('six');
  assert.deepEqual(await drain(again), ['four', 'five', 'six']);
  await again.close();
});

test('the byte bound drops the oldest whole segments and counts their records', async () => {
  const log = await AppendLog.open({ dir: freshDir(), segmentMaxBytes: 10, maxBytes: 30 });
  for (let i = 0; i < 10; i++) {
    log.append(`rec${i}xx`);
    await log.flush();
  }
  assert.ok(log.bytes <= 40, String(log.bytes));
  assert.equal(log.droppedRecords + log.pendingRecords, 10);
  const rest = await drain(log);
  assert.deepEqual(rest, Array.from({ length: 10 }, (_, i) => `rec${i}xx`).slice(log.droppedRecords));
  await log.close();
});

test('a newline inside a record and appends after close are refused', async () => {
  const log = await AppendLog.open({ dir: freshDir() });
  assert.throws(
    () => log.append('a\nb'),
    (err) => isRigtuneError(err, 'RT_OUTPUT_WRITE'),
  );
  await log.close();
  assert.throws(
    () => log.append('x'),
    (err) => isRigtuneError(err, 'RT_OUTPUT_WRITE'),
  );
});

test('a failing disk keeps records in memory (bounded) and writes them once it recovers', async () => {
  const dir = freshDir();
  const log = await AppendLog.open({ dir, segmentMaxBytes: 8, maxPendingBytes: 12, retryMs: 5 });
  rmSync(dir, { recursive: true });
  for (const r of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) log.append(r);
  await assert.rejects(log.flush(), (err) => isRigtuneError(err, 'RT_OUTPUT_WRITE'));
  assert.ok(isRigtuneError(log.lastError, 'RT_OUTPUT_WRITE'));
  assert.equal(log.droppedRecords, 2);
  assert.equal(log.pendingRecords, 6);
  mkdirSync(dir);
  await log.flush();
  assert.equal(log.lastError, null);
  assert.deepEqual(await drain(log), ['c', 'd', 'e', 'f', 'g', 'h']);
  await log.close();
});

test('an unusable directory is RT_OUTPUT_WRITE on open', async () => {
  const file = join(freshDir());
  writeFileSync(file, 'not a dir');
  await assert.rejects(AppendLog.open({ dir: file }), (err) => isRigtuneError(err, 'RT_OUTPUT_WRITE'));
});
