// Tests of rotated-log file names, listing and retention: names sort in time order, foreign and
// impossible names are ignored, retention keeps the newest files and never the one being written.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../core/errors.ts';
import {
  applyLogRetention,
  checkLogFilePattern,
  listLogFiles,
  logFileName,
  parseLogFileName,
  utcDayStartMs,
} from './log-files.ts';

const AUDIT = { prefix: 'audit', extension: '.ndjson' };
const root = mkdtempSync(join(tmpdir(), 'rigtune-logfiles-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
function freshDir(): string {
  const dir = join(root, `d${dirCount++}`);
  mkdirSync(dir);
  return dir;
}

test('names carry the UTC time of the first record and a 3-digit sequence', () => {
  const ms = Date.UTC(2026, 2, 1, 23, 59, 58, 750);
  assert.equal(logFileName(AUDIT, ms, 0), 'audit-20260301-235958-000.ndjson');
  assert.equal(logFileName(AUDIT, ms, 42), 'audit-20260301-235958-042.ndjson');
  assert.deepEqual(parseLogFileName(AUDIT, 'audit-20260301-235958-042.ndjson'), {
    ms: Date.UTC(2026, 2, 1, 23, 59, 58),
    seq: 42,
  });
});

test('foreign, temp and impossible names are not log files', () => {
  for (const name of [
    'audit-20260231-000000-000.ndjson',
    'audit-20260301-246000-000.ndjson',
    'audit-20260301-000000.ndjson',
    'other-20260301-000000-000.ndjson',
    'audit-20260301-000000-000.ndjson.tmp',
    '.audit-20260301-000000-000.ndjson',
  ])
    assert.equal(parseLogFileName(AUDIT, name), null, name);
});

test('name order is time order (property)', () => {
  const time = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) });
  fc.assert(
    fc.property(time, time, fc.nat(999), fc.nat(999), (a, b, sa, sb) => {
      const na = logFileName(AUDIT, a, sa);
      const nb = logFileName(AUDIT, b, sb);
      const ka = Math.floor(a / 1000) * 1000 * 1000 + sa;
      const kb = Math.floor(b / 1000) * 1000 * 1000 + sb;
      assert.equal(na < nb ? -1 : na > nb ? 1 : 0, Math.sign(ka - kb));
      assert.deepEqual(parseLogFileName(AUDIT, na), { ms: Math.floor(a / 1000) * 1000, seq: sa });
    }),
  );
});

test('a prefix or extension that could make names ambiguous is RT_CONFIG_INVALID', () => {
  assert.throws(
    () => checkLogFilePattern({ prefix: 'a/b', extension: '.x' }),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'),
  );
  assert.throws(
    () => checkLogFilePattern({ prefix: 'a', extension: 'x' }),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'),
  );
  checkLogFilePattern(AUDIT);
});

test('utcDayStartMs truncates to the UTC day', () => {
  assert.equal(utcDayStartMs(Date.UTC(2026, 0, 2, 23, 59, 59, 999)), Date.UTC(2026, 0, 2));
  assert.equal(utcDayStartMs(Date.UTC(2026, 0, 3)), Date.UTC(2026, 0, 3));
});

test('listing sorts oldest first, ignores other files, and an absent directory has none', async () => {
  const dir = freshDir();
  for (const n of [
    'audit-20260302-000000-000.ndjson',
    'audit-20260301-120000-001.ndjson',
    'audit-20260301-120000-000.ndjson',
    'notes.txt',
  ])
    writeFileSync(join(dir, n), '');
  const names = (await listLogFiles(dir, AUDIT)).map((e) => e.name);
  assert.deepEqual(names, [
    'audit-20260301-120000-000.ndjson',
    'audit-20260301-120000-001.ndjson',
    'audit-20260302-000000-000.ndjson',
  ]);
  assert.deepEqual(await listLogFiles(join(dir, 'missing'), AUDIT), []);
});

test('retention by count keeps the newest files; by age deletes old ones but never the kept file', async () => {
  const dir = freshDir();
  const names = [1, 2, 3, 4, 5].map((d) => logFileName(AUDIT, Date.UTC(2026, 0, d), 0));
  for (const n of names) writeFileSync(join(dir, n), 'x\n');
  writeFileSync(join(dir, 'keep-me.txt'), '');
  const deleted = await applyLogRetention(
    dir,
    AUDIT,
    { maxFiles: 3, maxAgeMs: null },
    0,
    join(dir, names[4]),
  );
  assert.deepEqual(deleted, [join(dir, names[0]), join(dir, names[1])]);
  assert.deepEqual(readdirSync(dir).sort(), [...names.slice(2), 'keep-me.txt'].sort());

  const nowMs = Date.UTC(2026, 5, 1);
  const old = (nowMs - 10 * 86_400_000) / 1000;
  utimesSync(join(dir, names[2]), old, old);
  utimesSync(join(dir, names[4]), old, old);
  const fresh = (nowMs - 60_000) / 1000;
  utimesSync(join(dir, names[3]), fresh, fresh);
  const byAge = await applyLogRetention(
    dir,
    AUDIT,
    { maxFiles: null, maxAgeMs: 86_400_000 },
    nowMs,
    join(dir, names[4]),
  );
  assert.deepEqual(byAge, [join(dir, names[2])]);
  assert.deepEqual(await applyLogRetention(dir, AUDIT, { maxFiles: null, maxAgeMs: null }, nowMs, null), []);
});
