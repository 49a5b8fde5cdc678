// Tests of readAuditLog: a crash-cut last line is reported and left out, a complete line that is not
// a record is RT_INPUT_PARSE with file and line, an absent directory is an empty log.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isRigtuneError } from '../../core/errors.ts';
import { readAuditLog } from './index.ts';

const root = mkdtempSync(join(tmpdir(), 'rigtune-audit-read-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
function dirWith(files: Record<string, string>): string {
  const dir = join(root, `d${dirCount++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const HEADER = '{"type":"header","log":"rigtune-audit","schema":1,"first_ms":0}';
const ADVICE = '{"type":"advice","ts":1,"rig":"r","payload":{}}';

test('a truncated last line is reported, not returned; the next file is read on', async () => {
  const dir = dirWith({
    'audit-20260301-000000-000.ndjson': `${HEADER}\n${ADVICE}\n{"type":"act`,
    'audit-20260301-000001-000.ndjson': `${HEADER}\n${ADVICE}\n`,
    'notes.txt': 'ignored',
  });
  const log = await readAuditLog(dir);
  assert.equal(log.records.length, 2);
  assert.deepEqual(log.truncated, [
    { file: join(dir, 'audit-20260301-000000-000.ndjson'), line: 3, bytes: 12 },
  ]);
  assert.deepEqual(
    log.files.map((f) => f.records),
    [1, 1],
  );
});

test('a file cut inside its header has no header and no records', async () => {
  const dir = dirWith({ 'audit-20260301-000000-000.ndjson': '{"type":"hea' });
  const log = await readAuditLog(dir);
  assert.deepEqual(log.files[0].header, null);
  assert.deepEqual(log.records, []);
  assert.equal(log.truncated.length, 1);
});

test('a complete line that is not a record is RT_INPUT_PARSE with file and line', async () => {
  for (const [bad, why] of [
    ['{"type":"tick"', /not JSON/],
    ['[1,2]', /not a JSON object/],
    ['{"type":"mystery"}', /unknown record type/],
    [HEADER, /header line after the first/],
  ] as const) {
    const dir = dirWith({ 'audit-20260301-000000-000.ndjson': `${HEADER}\n${ADVICE}\n${bad}\n${ADVICE}\n` });
    await assert.rejects(readAuditLog(dir), (e) => {
      assert.ok(isRigtuneError(e, 'RT_INPUT_PARSE'));
      assert.equal(e.where.line, 3);
      assert.equal(e.where.file, join(dir, 'audit-20260301-000000-000.ndjson'));
      assert.match(e.message, why);
      return true;
    });
  }
});

test('an absent directory is an empty log', async () => {
  assert.deepEqual(await readAuditLog(join(root, 'nothing-here')), { records: [], files: [], truncated: [] });
});
