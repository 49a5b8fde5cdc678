// `rigtune demo --duration` as a user runs it: a bounded run over the simulated fleet's wire servers
// that prints where to look, flushes every sink and exits 0, leaving Parquet history and an audit log.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/rigtune', import.meta.url));

test('rigtune demo --duration 4s runs the fleet, flushes and exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-demo-'));
  const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(
      BIN,
      ['demo', '--port', '0', '--data', dir, '--duration', '4s'],
      { timeout: 60_000 },
      (err, _stdout, stderr) => resolve({ code: err === null ? 0 : Number(err.code ?? -1), stderr }),
    );
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /12 rigs/);
  assert.match(r.stderr, /dashboard: http:\/\/127\.0\.0\.1:\d+\//);
  assert.match(r.stderr, /scored [1-9]\d* device samples/);
  assert.match(r.stderr, /no scheduled fault had started yet/, 'the first fault starts 10 s in');
  assert.ok(readdirSync(join(dir, 'snapshots')).some((p) => p.startsWith('date=')));
  assert.ok(existsSync(join(dir, 'audit')));
  rmSync(dir, { recursive: true, force: true });
});

test('rigtune demo rejects a bad --port with a clear message', async () => {
  const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(BIN, ['demo', '--port', '80x'], { timeout: 30_000 }, (err, _o, stderr) =>
      resolve({ code: err === null ? 0 : Number(err.code ?? -1), stderr }),
    );
  });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--port/);
});
