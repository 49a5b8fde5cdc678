// The data directory, history and HTTP checks on real temp dirs and loopback ports: writable, to be
// created, a file in the way, unwritable (not as root), Parquet files readable or damaged, port taken.

import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { SCHEMA_VERSION_KEY } from '../../sinks/parquet/index.ts';
import { checkDataDir } from './data-dir.ts';
import { checkHttpBind } from './http-bind.ts';
import { checkParquetHistory } from './parquet-history.ts';

const root = mkdtempSync(join(tmpdir(), 'rigtune-doctor-data-'));
const isRoot = process.getuid?.() === 0;
after(() => {
  chmodSync(root, 0o700);
  rmSync(root, { recursive: true, force: true });
});

test('an existing writable dir is ok with its free space, and leaves no file behind', async () => {
  const dir = join(root, 'ok');
  mkdirSync(dir);
  const r = await checkDataDir(dir);
  assert.equal(r.status === 'fail', false, r.message);
  assert.match(r.message, new RegExp(`^${dir} is writable; .*(free|only)`));
  assert.ok((r.details?.free_bytes as number) > 0);
  assert.equal(r.details?.exists, true);
  assert.equal((await import('node:fs')).readdirSync(dir).length, 0);
});

test('a missing dir under a writable parent will be created; a file in the way fails', async () => {
  const r = await checkDataDir(join(root, 'new', 'deeper'));
  assert.notEqual(r.status, 'fail', r.message);
  assert.match(r.message, /will be created \(.* is writable\)/);
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  const f = await checkDataDir(file);
  assert.equal(f.status, 'fail');
  assert.match(f.message, /is a file, not a directory/);
});

test('an unwritable dir fails, and so does creating one under it', {
  skip: isRoot && 'root writes anywhere',
}, async () => {
  const locked = join(root, 'locked');
  mkdirSync(locked);
  chmodSync(locked, 0o500);
  try {
    const r = await checkDataDir(locked);
    assert.equal(r.status, 'fail');
    assert.match(
      r.message,
      /is not writable \(permission denied\): the Parquet history, audit log and spools/,
    );
    const below = await checkDataDir(join(locked, 'data'));
    assert.equal(below.status, 'fail');
    assert.match(below.message, /does not exist and cannot be created/);
  } finally {
    chmodSync(locked, 0o700);
  }
});

function parquetFile(path: string): void {
  const buffer = parquetWriteBuffer({
    columnData: [{ name: 'ts', data: [1, 2, 3], type: 'DOUBLE' }],
    kvMetadata: [{ key: SCHEMA_VERSION_KEY, value: '1' }],
  });
  writeFileSync(path, new Uint8Array(buffer));
}

test('history: none yet, readable files counted per dataset, a damaged one named', async () => {
  const dir = join(root, 'history');
  assert.match((await checkParquetHistory(dir)).message, /^no Parquet history under/);
  const part = join(dir, 'scores', 'date=2026-11-01');
  mkdirSync(part, { recursive: true });
  parquetFile(join(part, 'part-1793534400000-000000.parquet'));
  parquetFile(join(part, 'part-1793534500000-000001.parquet'));
  writeFileSync(join(part, '.part-1793534600000-000002.parquet.123.ab12.tmp'), 'half');
  const ok = await checkParquetHistory(dir);
  assert.equal(ok.status, 'ok', ok.message);
  assert.match(
    ok.message,
    /^2 Parquet files \(snapshots 0, scores 2, events 0\), newest .*; the 2 newest open cleanly; 1 temp file/,
  );
  assert.deepEqual(ok.details?.schema_versions, ['1']);
  const bad = join(part, 'part-1793534700000-000003.parquet');
  writeFileSync(bad, 'this is not parquet at all');
  const r = await checkParquetHistory(dir);
  assert.equal(r.status, 'fail');
  assert.ok(r.message.startsWith(`1 file of the 3 newest cannot be read (${bad}: `), r.message);
});

test('http: a free port is ok, a taken one fails plainly, port 0 is ok', async () => {
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    const r = await checkHttpBind('127.0.0.1', port);
    assert.equal(r.status, 'fail');
    assert.equal(
      r.message,
      `127.0.0.1:${port} is already in use (a running rigtune or another program): stop it, or set http.port (or --port)`,
    );
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
  const free = await checkHttpBind('127.0.0.1', port);
  assert.equal(free.status, 'ok', free.message);
  assert.equal(free.message, `127.0.0.1:${port} is free for the API`);
  assert.equal((await checkHttpBind('127.0.0.1', 0)).status, 'ok');
});
