// Tests of the NDJSON trace reader: fixtures read back and one test per error case (code and where).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isRigtuneError, type RigtuneError } from '../core/errors.ts';
import { openTrace, type TraceRecord } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-ndjson-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function tempFile(text: string): string {
  const path = join(dir, `t${fileCount++}.ndjson`);
  writeFileSync(path, text);
  return path;
}
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

async function readAll(path: string): Promise<TraceRecord[]> {
  const out: TraceRecord[] = [];
  for await (const r of (await openTrace(path)).records()) out.push(r);
  return out;
}

async function rejectsWith(
  path: string,
  code: string,
  where: Record<string, unknown>,
): Promise<RigtuneError> {
  let caught: RigtuneError | undefined;
  await assert.rejects(readAll(path), (err) => {
    assert.ok(isRigtuneError(err), String(err));
    caught = err;
    return true;
  });
  assert.equal(caught?.code, code);
  assert.deepEqual(caught?.where, { file: path, ...where });
  return caught as RigtuneError;
}

test('two devices: string numbers, nulls, NaN and left-out keys', async () => {
  const reader = await openTrace(fixture('two-devices.ndjson'));
  assert.equal(reader.format, 'ndjson');
  assert.deepEqual(reader.numericColumns, ['power_w', 'accepted_shares', 'temp_core_c']);
  const rows = await readAll(fixture('two-devices.ndjson'));
  assert.deepEqual(
    rows.map((r) => [r.ts, r.device, r.values, r.line]),
    [
      [1_700_000_000_000, 'gpu0', { power_w: 200, accepted_shares: 10, temp_core_c: null }, 1],
      [1_700_000_000_000, 'gpu1', { power_w: 201.5, accepted_shares: 12, temp_core_c: null }, 2],
      [1_700_000_001_000, 'gpu0', { power_w: 202, accepted_shares: 11, temp_core_c: null }, 4],
      [1_700_000_001_000, 'gpu1', { power_w: null, accepted_shares: 13, temp_core_c: 60 }, 5],
    ],
  );
  assert.ok(rows.every((r) => r.rig === 'r1'));
});

test('.jsonl with the `time` alias, ISO and epoch ms, CRLF and no final newline', async () => {
  const rows = await readAll(fixture('epoch-ms.jsonl'));
  assert.deepEqual(
    rows.map((r) => [r.ts, r.rig, r.device, r.values.power_w]),
    [
      [1_704_067_200_000, 'rig0', 'dev0', 1],
      [1_704_067_201_000, 'rig0', 'dev0', 2],
    ],
  );
});

test('invalid JSON is RT_INPUT_PARSE at its line', async () => {
  const path = tempFile('{"ts":1,"v":1}\n{"ts":2,"v":\n');
  const err = await rejectsWith(path, 'RT_INPUT_PARSE', { line: 2 });
  assert.match(err.message, /invalid JSON/);
});

test('a line that is not an object is RT_INPUT_PARSE', async () => {
  await rejectsWith(tempFile('{"ts":1,"v":1}\n[2,3]\n'), 'RT_INPUT_PARSE', { line: 2 });
});

test('a nested object is RT_INPUT_COLUMN naming the field', async () => {
  const path = tempFile('{"ts":1,"v":1,"w":2}\n{"ts":2,"v":1,"w":{"a":1}}\n');
  await rejectsWith(path, 'RT_INPUT_COLUMN', { line: 2, column: 3, field: 'w' });
});

test('a boolean is RT_INPUT_COLUMN naming the field', async () => {
  await rejectsWith(tempFile('{"ts":1,"v":true}\n'), 'RT_INPUT_COLUMN', { line: 1, column: 2, field: 'v' });
});

test('a non-numeric string is RT_INPUT_PARSE with line, column, field and excerpt', async () => {
  const path = tempFile('{"ts":1,"v":1}\n\n{"ts":2,"v":"hot"}\n');
  const err = await rejectsWith(path, 'RT_INPUT_PARSE', { line: 3, column: 2, field: 'v' });
  assert.match(err.message, /"hot"/);
});

test('a key missing from the first record is RT_INPUT_COLUMN', async () => {
  await rejectsWith(tempFile('{"ts":1,"v":1}\n{"ts":2,"v":1,"extra":3}\n'), 'RT_INPUT_COLUMN', {
    line: 2,
    field: 'extra',
  });
});

test('time not increasing is RT_INPUT_TIME with both timestamps', async () => {
  const path = tempFile('{"ts":5,"v":1}\n{"ts":4,"v":1}\n');
  const err = await rejectsWith(path, 'RT_INPUT_TIME', { line: 2, field: 'ts', rig: 'rig0', device: 'dev0' });
  assert.match(err.message, /4000 ms at line 2 after 5000 ms at line 1/);
});

test('a missing time is RT_INPUT_TIME', async () => {
  await rejectsWith(tempFile('{"ts":5,"v":1}\n{"v":1}\n'), 'RT_INPUT_TIME', {
    line: 2,
    column: 1,
    field: 'ts',
  });
});

test('a rig that is not a string is RT_INPUT_COLUMN', async () => {
  await rejectsWith(tempFile('{"ts":5,"rig":[1]}\n'), 'RT_INPUT_COLUMN', {
    line: 1,
    column: 2,
    field: 'rig',
  });
});
