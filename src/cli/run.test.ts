// `rigtune run` as a user starts it: a child process on a rigtune.yaml, answering on HTTP, and on
// SIGTERM flushing its sinks and exiting 0.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '../../test/helpers/redis-server.ts';
import { Fleet } from '../sim/index.ts';
import { serveCgminer } from '../sim/serve/index.ts';

const BIN = fileURLToPath(new URL('../../bin/rigtune', import.meta.url));

test('rigtune run serves the API and stops cleanly on SIGTERM', async () => {
  const fleet = new Fleet({ seed: 5, startMs: Date.UTC(2026, 10, 1), gpuRigs: 0, gpusPerRig: 1, asics: 1 });
  fleet.step(1000);
  const asic = await serveCgminer(fleet.rig('asic0'));
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-cli-run-'));
  const file = join(dir, 'rigtune.yaml');
  writeFileSync(
    file,
    `data_dir: ${dir}\nhttp: {port: 0}\nrigs:\n  - name: s19\n    sources:\n      - {kind: cgminer, host: 127.0.0.1, port: ${asic.port}, interval_ms: 1000}\n`,
  );
  const child = spawn(BIN, ['run', '--config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /serving (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  try {
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    // The first poll answers within the first interval; the rig is listed once it has been scored.
    await waitUntil(
      async () => /s19/.test(await (await fetch(`${url}/api/rigs`)).text()),
      's19 in /api/rigs',
    );
  } finally {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    await asic.close();
  }
  assert.ok(existsSync(join(dir, 'audit')));
  rmSync(dir, { recursive: true, force: true });
});
