// Tests of the CSV trace reader: fixtures read back, one test per error case (code and where), progress,
// and a property: arbitrary text as a CSV trace fails only with RigtuneError.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError, type RigtuneError } from '../core/errors.ts';
import { openTrace, type TraceRecord } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function tempFile(text: string, ext = '.csv'): string {
  const path = join(dir, `t${fileCount++}${ext}`);
  writeFileSync(path, text);
  return path;
}
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

async function readAll(path: string): Promise<TraceRecord[]> {
  const reader = await openTrace(path);
  const out: TraceRecord[] = [];
  for await (const r of reader.records()) out.push(r);
  return out;
}

async function rejectsWith(path: string, check: (err: RigtuneError) => void): Promise<void> {
  await assert.rejects(readAll(path), (err) => {
    assert.ok(isRigtuneError(err), String(err));
    check(err);
    return true;
  });
}

test('epoch seconds, missing cells, NaN, [N/A], hex and no trailing newline', async () => {
  const reader = await openTrace(fixture('epoch-seconds.csv'));
  assert.equal(reader.format, 'csv');
  assert.deepEqual(reader.numericColumns, ['power_w', 'temp_core_c', 'fan_pct']);
  const rows = await readAll(fixture('epoch-seconds.csv'));
  assert.deepEqual(
    rows.map((r) => [r.ts, r.rig, r.device, r.values, r.line]),
    [
      [1_700_000_000_000, 'rig0', 'dev0', { power_w: 250.5, temp_core_c: 61, fan_pct: 40 }, 2],
      [1_700_000_001_000, 'rig0', 'dev0', { power_w: 251, temp_core_c: null, fan_pct: null }, 3],
      [1_700_000_002_500, 'rig0', 'dev0', { power_w: null, temp_core_c: 62.5, fan_pct: null }, 4],
      [1_700_000_003_000, 'rig0', 'dev0', { power_w: 252, temp_core_c: 63, fan_pct: 16 }, 5],
    ],
  );
});

test('quoted header and cells, BOM, CRLF, blank lines; line numbers count quoted newlines', async () => {
  const rows = await readAll(fixture('quoted-crlf.csv'));
  assert.deepEqual(
    rows.map((r) => [r.ts, r.rig, r.device, r.values.power_w, r.line]),
    [
      [1_700_000_000_000, 'rig, a', 'gpu "0"', 100, 2],
      [1_700_000_000_000, 'rig, a', 'gpu\r\n1', 200, 4],
      [1_700_000_001_000, 'rig, a', 'gpu "0"', 101, 6],
    ],
  );
});

test('ISO 8601 times under the `timestamp` alias', async () => {
  const rows = await readAll(fixture('iso-time.csv'));
  const base = Date.UTC(2024, 0, 1);
  assert.deepEqual(
    rows.map((r) => r.ts),
    [base, base + 1000, base + 2250, base + 3500],
  );
  assert.equal(rows[3].values.hashrate_5s, null);
});

test('defaults for rig and device come from the options', async () => {
  const path = tempFile('ts,power_w\n1,2\n');
  const reader = await openTrace(path, { defaultRig: 'r', defaultDevice: 'd' });
  for await (const r of reader.records()) assert.deepEqual([r.rig, r.device], ['r', 'd']);
});

test('wrong number of cells is RT_INPUT_PARSE at its line', async () => {
  await rejectsWith(tempFile('ts,power_w\n1,2\n2,3,4\n'), (err) => {
    assert.equal(err.code, 'RT_INPUT_PARSE');
    assert.deepEqual(err.where, { file: err.where.file, line: 3 });
    assert.match(err.message, /expected 2 cells, found 3/);
  });
});

test('a non-numeric cell is RT_INPUT_PARSE with line, column, field and excerpt', async () => {
  const path = tempFile('ts,rig,power_w\n1,a,2\n\n2,a,12 W\n');
  await rejectsWith(path, (err) => {
    assert.equal(err.code, 'RT_INPUT_PARSE');
    assert.deepEqual(err.where, { file: path, line: 4, column: 3, field: 'power_w' });
    assert.match(err.message, /"12 W"/);
  });
});

test('time not increasing within a device is RT_INPUT_TIME naming both timestamps', async () => {
  const path = tempFile('ts,device,v\n10,a,1\n10,b,1\n11,a,1\n11,a,2\n');
  await rejectsWith(path, (err) => {
    assert.equal(err.code, 'RT_INPUT_TIME');
    assert.equal(err.where.line, 5);
    assert.equal(err.where.device, 'a');
    assert.equal(err.where.field, 'ts');
    assert.match(err.message, /11000 ms at line 5 after 11000 ms at line 4/);
  });
});

test('an unreadable time is RT_INPUT_TIME at its cell', async () => {
  const path = tempFile('v,time\n1,2024-01-01\n2,soon\n');
  await rejectsWith(path, (err) => {
    assert.equal(err.code, 'RT_INPUT_TIME');
    assert.deepEqual(err.where, { file: path, line: 3, column: 2, field: 'time' });
  });
});

test('a header without a time column is RT_INPUT_TIME', async () => {
  await assert.rejects(openTrace(tempFile('1700000000,250\n1700000001,251\n')), (err) => {
    return (
      isRigtuneError(err, 'RT_INPUT_TIME') && err.where.line === 1 && /header row missing/.test(err.message)
    );
  });
});

test('a duplicate column is RT_INPUT_COLUMN naming it', async () => {
  await assert.rejects(openTrace(tempFile('ts,power_w,power_w\n1,2,3\n')), (err) => {
    return isRigtuneError(err, 'RT_INPUT_COLUMN') && err.where.field === 'power_w' && err.where.column === 3;
  });
});

test('two time columns are RT_INPUT_COLUMN', async () => {
  await assert.rejects(openTrace(tempFile('ts,time\n1,2\n')), (err) =>
    isRigtuneError(err, 'RT_INPUT_COLUMN'),
  );
});

test('an empty file is RT_INPUT_PARSE', async () => {
  await assert.rejects(openTrace(tempFile('\n\n')), (err) => isRigtuneError(err, 'RT_INPUT_PARSE'));
});

test('an unterminated quote is RT_INPUT_PARSE at the line and cell it opens', async () => {
  await rejectsWith(tempFile('ts,rig,v\n1,"r,1\n2,r,1\n'), (err) => {
    assert.equal(err.code, 'RT_INPUT_PARSE');
    assert.equal(err.where.line, 2);
    assert.equal(err.where.column, 2);
  });
});

test('large file streams in many chunks with increasing progress ending at the size', async () => {
  const lines = ['ts,rig,device,power_w,temp_core_c'];
  for (let i = 0; i < 30_000; i++) lines.push(`${1_700_000_000 + i},"rig 1",gpu0,${200 + (i % 7)},${i % 90}`);
  const path = tempFile(`${lines.join('\n')}\n`);
  const reader = await openTrace(path);
  const progress: number[] = [];
  let count = 0;
  let last: TraceRecord | undefined;
  for await (const r of reader.records((b) => progress.push(b))) {
    count++;
    last = r;
  }
  assert.equal(count, 30_000);
  assert.equal(last?.line, 30_001);
  assert.ok(progress.length > 5);
  assert.ok(progress.every((b, i) => i === 0 || b >= progress[i - 1]));
  assert.equal(progress.at(-1), reader.sizeBytes);
});

test('property: arbitrary CSV text fails only with RigtuneError', async () => {
  const unit = fc.constantFrom(
    'ts',
    'rig',
    ',',
    '"',
    '\n',
    '\r',
    '1',
    '7',
    '.',
    'e',
    '-',
    'x',
    ' ',
    'NaN',
    'T',
    ':',
  );
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(fc.string({ unit, maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 60 })),
      async (body) => {
        const path = tempFile(`ts,v\n${body}`);
        try {
          await readAll(path);
        } catch (err) {
          assert.ok(isRigtuneError(err), `not a RigtuneError: ${String(err)}`);
        }
        const raw = tempFile(body);
        try {
          await readAll(raw);
        } catch (err) {
          assert.ok(isRigtuneError(err), `not a RigtuneError: ${String(err)}`);
        }
      },
    ),
    { seed: 7, numRuns: 150 },
  );
});
