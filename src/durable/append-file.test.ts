// Tests of the rotated append-only log: whole lines in order, rotation by size / age / UTC midnight,
// fsync bounds (records, bytes, time on a fake clock), retention, refusals and disk failures counted.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import type { RigtuneError } from '../core/errors.ts';
import { AppendFile, type AppendFileOptions } from './append-file.ts';
import { readLogFiles, splitLines } from './read-log.ts';

const PATTERN = { prefix: 'log', extension: '.ndjson' };
const T0 = Date.UTC(2026, 2, 1, 12, 0, 0, 0);
const root = mkdtempSync(join(tmpdir(), 'rigtune-append-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
function freshDir(): string {
  return join(root, `d${dirCount++}`);
}

type Rec = { readonly n: number; readonly pad?: string };

function makeLog(
  clock: FakeClock,
  dir: string,
  over: Partial<AppendFileOptions<Rec>> = {},
): { log: AppendFile<Rec>; errors: RigtuneError[] } {
  const errors: RigtuneError[] = [];
  const log = new AppendFile<Rec>({
    dir,
    pattern: PATTERN,
    encode: (r) => JSON.stringify(r),
    maxFileBytes: null,
    maxFileAgeMs: null,
    rotateAtUtcMidnight: true,
    fsyncIntervalMs: 1000,
    fsyncMaxBytes: null,
    fsyncMaxRecords: null,
    maxQueuedRecords: 1000,
    retention: { maxFiles: null, maxAgeMs: null },
    clock,
    onError: (e) => errors.push(e),
    ...over,
  });
  return { log, errors };
}

async function recordsIn(dir: string): Promise<number[][]> {
  const files = await readLogFiles(dir, PATTERN);
  for (const f of files) assert.equal(f.truncated, null, f.path);
  return files.map((f) => f.lines.filter((l) => !l.includes('"header"')).map((l) => JSON.parse(l).n));
}

test('records become whole lines, in order, in one file named after the first record; flush fsyncs', async () => {
  const clock = new FakeClock(T0 + 250);
  const dir = freshDir();
  const { log, errors } = makeLog(clock, dir, { header: (ms) => JSON.stringify({ type: 'header', ms }) });
  for (let n = 0; n < 5; n++) assert.deepEqual(log.append({ n }), { accepted: true });
  assert.equal(log.stats().queued, 5);
  await log.flush();
  const s = log.stats();
  assert.deepEqual([s.queued, s.written, s.synced, s.dropped, s.files, s.ok], [0, 5, 5, 0, 1, true]);
  assert.deepEqual(readdirSync(dir), ['log-20260301-120000-000.ndjson']);
  const text = readFileSync(join(dir, 'log-20260301-120000-000.ndjson'), 'utf8');
  assert.equal(text.split('\n')[0], JSON.stringify({ type: 'header', ms: T0 + 250 }));
  assert.deepEqual(await recordsIn(dir), [[0, 1, 2, 3, 4]]);
  assert.deepEqual(errors, []);
  await log.close();
});

test('fsync waits for the time bound on the clock, or comes early at the record or byte bound', async () => {
  const clock = new FakeClock(T0);
  const { log } = makeLog(clock, freshDir(), { fsyncMaxRecords: 3, fsyncIntervalMs: 5000 });
  log.append({ n: 0 });
  log.append({ n: 1 });
  await log.idle();
  assert.deepEqual([log.stats().written, log.stats().synced], [2, 0]);
  await clock.advance(4999);
  await log.idle();
  assert.equal(log.stats().synced, 0);
  await clock.advance(1);
  await log.idle();
  assert.equal(log.stats().synced, 2);
  for (let n = 2; n < 5; n++) log.append({ n });
  await log.idle();
  assert.deepEqual([log.stats().written, log.stats().synced], [5, 5]);

  const bytes = makeLog(clock, freshDir(), { fsyncMaxBytes: 20, fsyncIntervalMs: 5000 }).log;
  bytes.append({ n: 1, pad: 'x'.repeat(30) });
  await bytes.idle();
  assert.equal(bytes.stats().synced, 1);
  const every = makeLog(clock, freshDir(), { fsyncIntervalMs: 0 }).log;
  every.append({ n: 1 });
  await every.idle();
  assert.equal(every.stats().synced, 1);
  await Promise.all([log.close(), bytes.close(), every.close()]);
});

test('a file is rotated before the record that would pass the size bound', async () => {
  const clock = new FakeClock(T0);
  const dir = freshDir();
  const { log } = makeLog(clock, dir, { maxFileBytes: 40 });
  // Each line is {"n":N,"pad":"xxxxxxxx"}\n = 27 or 28 bytes: one record per file.
  for (let n = 0; n < 3; n++) log.append({ n, pad: 'xxxxxxxx' });
  // A record larger than the bound still gets a file of its own.
  log.append({ n: 3, pad: 'y'.repeat(100) });
  log.append({ n: 4 });
  log.append({ n: 5 });
  await log.flush();
  assert.deepEqual(await recordsIn(dir), [[0], [1], [2], [3], [4, 5]]);
  assert.deepEqual(
    readdirSync(dir).sort(),
    [0, 1, 2, 3, 4].map((s) => `log-20260301-120000-00${s}.ndjson`),
  );
  await log.close();
});

test('a new UTC day and the age bound start a new file; the record time decides', async () => {
  const clock = new FakeClock(Date.UTC(2026, 2, 1, 23, 59, 59, 900));
  const dir = freshDir();
  const { log } = makeLog(clock, dir, { maxFileAgeMs: 60_000 });
  log.append({ n: 0 });
  await clock.advance(50);
  log.append({ n: 1 });
  await clock.advance(100);
  log.append({ n: 2 });
  await clock.advance(59_999);
  log.append({ n: 3 });
  await clock.advance(1);
  log.append({ n: 4 });
  await log.flush();
  assert.deepEqual(readdirSync(dir).sort(), [
    'log-20260301-235959-000.ndjson',
    'log-20260302-000000-000.ndjson',
    'log-20260302-000100-000.ndjson',
  ]);
  assert.deepEqual(await recordsIn(dir), [[0, 1], [2, 3], [4]]);
  await log.close();
});

test('retention runs as files open: old files go, the newest stay', async () => {
  const clock = new FakeClock(T0);
  const dir = freshDir();
  mkdirSync(dir);
  writeFileSync(join(dir, 'log-20200101-000000-000.ndjson'), '{"n":-1}\n');
  const { log } = makeLog(clock, dir, { maxFileBytes: 10, retention: { maxFiles: 2, maxAgeMs: null } });
  for (let n = 0; n < 5; n++) log.append({ n });
  await log.flush();
  assert.deepEqual(await recordsIn(dir), [[3], [4]]);
  await log.close();
});

test('appends beyond the queue bound and after close are refused and counted', async () => {
  const clock = new FakeClock(T0);
  const dir = freshDir();
  const { log } = makeLog(clock, dir, { maxQueuedRecords: 3 });
  const outcomes = [0, 1, 2, 3, 4].map((n) => log.append({ n }));
  assert.deepEqual(
    outcomes.map((o) => o.accepted),
    [true, true, true, false, false],
  );
  assert.deepEqual(outcomes[3], { accepted: false, reason: 'queue_full' });
  await log.close();
  await log.close();
  assert.deepEqual(log.append({ n: 9 }), { accepted: false, reason: 'closed' });
  assert.equal(log.stats().refused, 3);
  assert.deepEqual(await recordsIn(dir), [[0, 1, 2]]);
});

test('a record that cannot be encoded, or encodes to several lines, is dropped and reported', async () => {
  const clock = new FakeClock(T0);
  const dir = freshDir();
  const { log, errors } = makeLog(clock, dir, {
    encode: (r) => {
      if (r.n === 1) throw new Error('boom');
      return r.n === 2 ? '{"n":2}\n{"n":2}' : JSON.stringify(r);
    },
  });
  for (let n = 0; n < 4; n++) log.append({ n });
  await log.flush();
  assert.deepEqual(await recordsIn(dir), [[0, 3]]);
  assert.equal(log.stats().dropped, 2);
  assert.deepEqual(
    errors.map((e) => e.code),
    ['RT_OUTPUT_WRITE', 'RT_OUTPUT_WRITE'],
  );
  await log.close();
});

test('a directory that cannot be created drops the records, reports, and flush still resolves', async () => {
  const clock = new FakeClock(T0);
  const blocker = join(freshDir());
  writeFileSync(blocker, 'not a directory');
  const { log, errors } = makeLog(clock, join(blocker, 'audit'));
  log.append({ n: 0 });
  log.append({ n: 1 });
  await log.flush();
  const s = log.stats();
  assert.deepEqual([s.written, s.dropped, s.ok], [0, 2, false]);
  assert.match(s.lastError ?? '', /cannot open a new log file .*ENOTDIR/);
  assert.equal(errors[0].code, 'RT_OUTPUT_WRITE');
  await log.close();
});

test('a restart opens a new file; an interrupted last line is set aside and reported by the reader', async () => {
  const clock = new FakeClock(T0);
  const dir = freshDir();
  const first = makeLog(clock, dir).log;
  first.append({ n: 0 });
  await first.flush();
  // Simulate a crash in the middle of a write: half a line at the end of the file.
  const [name] = readdirSync(dir);
  writeFileSync(join(dir, name), '{"n":0}\n{"n":1,"pa', { flag: 'w' });
  const second = makeLog(clock, dir).log;
  second.append({ n: 2 });
  await second.close();
  const files = await readLogFiles(dir, PATTERN);
  assert.deepEqual(
    files.map((f) => [basename(f.path), f.lines, f.truncated]),
    [
      ['log-20260301-120000-000.ndjson', ['{"n":0}'], { bytes: 10, line: 2 }],
      ['log-20260301-120000-001.ndjson', ['{"n":2}'], null],
    ],
  );
  assert.deepEqual(splitLines('x', ''), { path: 'x', lines: [], truncated: null });
  assert.deepEqual(splitLines('x', 'abc'), { path: 'x', lines: [], truncated: { bytes: 3, line: 1 } });
});

test('any records and size bound: every record once, in order, each file within the bound (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.string({ maxLength: 40, unit: 'binary' }), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 16, max: 200 }),
      async (pads, maxFileBytes) => {
        const clock = new FakeClock(T0);
        const dir = freshDir();
        const { log } = makeLog(clock, dir, { maxFileBytes, fsyncMaxRecords: 7 });
        for (const [n, pad] of pads.entries()) log.append({ n, pad });
        await log.close();
        const files = await readLogFiles(dir, PATTERN);
        assert.deepEqual(
          files.flatMap((f) => f.lines.map((l) => JSON.parse(l))),
          pads.map((pad, n) => ({ n, pad })),
        );
        for (const f of files) {
          const size = Buffer.byteLength(f.lines.map((l) => `${l}\n`).join(''));
          assert.ok(f.lines.length === 1 || size <= maxFileBytes, `${f.path}: ${size} > ${maxFileBytes}`);
        }
        assert.equal(log.stats().synced, pads.length);
      },
    ),
    { numRuns: 30, seed: 4 },
  );
});
