// Tests of openTrace's file checks and format detection: extension, sniffing, override and the
// RT_INPUT_NOT_FOUND / RT_INPUT_FORMAT errors.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { isRigtuneError } from '../core/errors.ts';
import { sniffFormat } from './detect.ts';
import { openTrace } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-open-'));
after(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
const parquetBytes = () =>
  new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'ts', data: [1, 2], type: 'DOUBLE' },
        { name: 'v', data: [1, 2], type: 'DOUBLE' },
      ],
    }),
  );

test('a missing file is RT_INPUT_NOT_FOUND naming the path', async () => {
  const path = join(dir, 'nope.csv');
  await assert.rejects(openTrace(path), (err) => {
    return isRigtuneError(err, 'RT_INPUT_NOT_FOUND') && err.where.file === path && err.message.includes(path);
  });
});

test('a directory is RT_INPUT_NOT_FOUND', async () => {
  const path = join(dir, 'sub.csv');
  mkdirSync(path);
  await assert.rejects(openTrace(path), (err) => isRigtuneError(err, 'RT_INPUT_NOT_FOUND'));
});

test('formats by extension, and by content when the extension says nothing', async () => {
  assert.equal((await openTrace(file('a.csv', 'ts,v\n1,2\n'))).format, 'csv');
  assert.equal((await openTrace(file('a.jsonl', '{"ts":1}\n'))).format, 'ndjson');
  assert.equal((await openTrace(file('a.parquet', parquetBytes()))).format, 'parquet');
  assert.equal((await openTrace(file('a.txt', '\uFEFF  ts,v\n1,2\n'))).format, 'csv');
  assert.equal((await openTrace(file('a.log', '\n{"ts":1}\n'))).format, 'ndjson');
  assert.equal((await openTrace(file('pq', parquetBytes()))).format, 'parquet');
});

test('options.format overrides detection', async () => {
  const reader = await openTrace(file('b.ndjson', 'ts,v\n1,2\n'), { format: 'csv' });
  assert.equal(reader.format, 'csv');
});

test('unknown content is RT_INPUT_FORMAT', async () => {
  const path = file('c.bin', new Uint8Array([0, 1, 2, 3, 4]));
  await assert.rejects(
    openTrace(path),
    (err) => isRigtuneError(err, 'RT_INPUT_FORMAT') && err.where.file === path,
  );
});

test('gzip is RT_INPUT_FORMAT with a hint', async () => {
  const path = file('c.gz', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]));
  await assert.rejects(
    openTrace(path),
    (err) => isRigtuneError(err, 'RT_INPUT_FORMAT') && /gzip/.test(err.message),
  );
});

test('an extension that contradicts the content is RT_INPUT_FORMAT', async () => {
  await assert.rejects(openTrace(file('d.parquet', 'ts,v\n')), (err) =>
    isRigtuneError(err, 'RT_INPUT_FORMAT'),
  );
  await assert.rejects(openTrace(file('d.csv', parquetBytes())), (err) =>
    isRigtuneError(err, 'RT_INPUT_FORMAT'),
  );
});

test('sniffing rejects text that is neither CSV nor NDJSON', () => {
  assert.equal(sniffFormat(new TextEncoder().encode('12 34 56\n')), undefined);
  assert.equal(sniffFormat(new TextEncoder().encode('"ts","v"\n')), 'csv');
});
