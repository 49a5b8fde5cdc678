// Tests of the atomic file writer: commit gives the content, abort and mid-stream errors leave the
// previous file untouched and no temp file behind, failures are RT_OUTPUT_WRITE with path and cause.

import assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { isRigtuneError, RigtuneError } from '../core/errors.ts';
import { AtomicFileWriter, tempPathFor, writeFileAtomic } from './index.ts';

const root = mkdtempSync(join(tmpdir(), 'rigtune-durable-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
function freshDir(): string {
  const dir = join(root, `d${dirCount++}`);
  mkdirSync(dir);
  return dir;
}

test('commit produces the content and leaves no temp file', async () => {
  const dir = freshDir();
  const path = join(dir, 'out.ndjson');
  const writer = await AtomicFileWriter.open(path);
  assert.equal(dirname(writer.tempPath), dir);
  assert.match(
    basename(writer.tempPath),
    new RegExp(`^\\.out\\.ndjson\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`),
  );
  await writer.write('{"a":1}\n');
  await writer.write(new TextEncoder().encode('{"a":2}\n'));
  assert.deepEqual(readdirSync(dir), [basename(writer.tempPath)]);
  const result = await writer.commit();
  assert.deepEqual(result, { path, bytesWritten: 16 });
  assert.equal(readFileSync(path, 'utf8'), '{"a":1}\n{"a":2}\n');
  assert.deepEqual(readdirSync(dir), ['out.ndjson']);
});

test('abort leaves no file and no temp file', async () => {
  const dir = freshDir();
  const writer = await AtomicFileWriter.open(join(dir, 'out.csv'));
  await writer.write('partial');
  await writer.abort();
  await writer.abort();
  assert.deepEqual(readdirSync(dir), []);
});

test('an error mid-stream leaves the previous file untouched and is rethrown as is', async () => {
  const dir = freshDir();
  const path = join(dir, 'scores.ndjson');
  writeFileSync(path, 'previous\n');
  const boom = new RigtuneError('RT_INPUT_PARSE', 'bad line', { file: 'in.csv', line: 7 });
  async function* lines() {
    yield 'new 1\n';
    yield 'x'.repeat(200_000);
    throw boom;
  }
  await assert.rejects(writeFileAtomic(path, lines(), { bufferBytes: 1024 }), (err) => err === boom);
  assert.equal(readFileSync(path, 'utf8'), 'previous\n');
  assert.deepEqual(readdirSync(dir), ['scores.ndjson']);
});

test('writeFileAtomic takes strings, bytes and iterables; large output is buffered correctly', async () => {
  const dir = freshDir();
  const a = join(dir, 'a.txt');
  await writeFileAtomic(a, 'hello');
  assert.equal(readFileSync(a, 'utf8'), 'hello');
  await writeFileAtomic(a, new Uint8Array([104, 105]));
  assert.equal(readFileSync(a, 'utf8'), 'hi');
  const chunks = Array.from({ length: 5000 }, (_, i) => `line ${i}\n`);
  const result = await writeFileAtomic(a, chunks, { bufferBytes: 4096 });
  assert.equal(readFileSync(a, 'utf8'), chunks.join(''));
  assert.equal(result.bytesWritten, Buffer.byteLength(chunks.join('')));
});

test('replacing a file keeps its mode', async () => {
  const dir = freshDir();
  const path = join(dir, 'keep.txt');
  writeFileSync(path, 'old');
  chmodSync(path, 0o640);
  await writeFileAtomic(path, 'new');
  assert.equal(statSync(path).mode & 0o777, 0o640);
  await writeFileAtomic(path, 'newer', { mode: 0o600 });
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('a missing directory is RT_OUTPUT_WRITE with the path and cause', async () => {
  const path = join(freshDir(), 'no', 'such', 'out.txt');
  await assert.rejects(writeFileAtomic(path, 'x'), (err) => {
    assert.ok(isRigtuneError(err, 'RT_OUTPUT_WRITE'), String(err));
    assert.equal(err.where.file, path);
    assert.equal((err.cause as { code?: string }).code, 'ENOENT');
    return true;
  });
});

test('a target that cannot be replaced is RT_OUTPUT_WRITE and leaves no temp file', async () => {
  const dir = freshDir();
  const path = join(dir, 'taken');
  mkdirSync(path);
  writeFileSync(join(path, 'inside'), '');
  await assert.rejects(writeFileAtomic(path, 'x'), (err) => isRigtuneError(err, 'RT_OUTPUT_WRITE'));
  assert.deepEqual(readdirSync(dir), ['taken']);
});

test('writing after commit is RT_OUTPUT_WRITE; abort after commit keeps the file', async () => {
  const dir = freshDir();
  const path = join(dir, 'done.txt');
  const writer = await AtomicFileWriter.open(path);
  await writer.commit();
  await assert.rejects(writer.write('late'), (err) => isRigtuneError(err, 'RT_OUTPUT_WRITE'));
  await writer.abort();
  assert.equal(readFileSync(path, 'utf8'), '');
});

test('await using aborts an uncommitted writer', async () => {
  const dir = freshDir();
  {
    await using writer = await AtomicFileWriter.open(join(dir, 'x.txt'));
    await writer.write('never');
  }
  assert.deepEqual(readdirSync(dir), []);
});

test('temp names sit beside the target', () => {
  assert.equal(tempPathFor('/a/b/out.csv', 12, 'beef'), '/a/b/.out.csv.12.beef.tmp');
  assert.equal(tempPathFor('out.csv', 1, '00'), '.out.csv.1.00.tmp');
});
