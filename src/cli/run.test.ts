// `rigtune run` as a user starts it: a child process on a rigtune.yaml, answering on HTTP, reloading
// the file on SIGHUP (a bad file keeps the old one), and on SIGTERM flushing its sinks and exiting 0.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '../../test/helpers/redis-server.ts';
import { Fleet } from '../sim/index.ts';
import { serveCgminer, serveXmrig } from '../sim/serve/index.ts';

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
    // The first poll answers within the first interval; the rig is listed from the start, scored after it.
    await waitUntil(
      async () => /"rig":"s19","status":"scored"/.test(await (await fetch(`${url}/api/rigs`)).text()),
      's19 scored in /api/rigs',
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

interface RigsJson {
  rigs: Array<{ rig: string; status: string; devices: number; sources: Array<{ kind: string }> }>;
}

test('rigtune run reloads the file on SIGHUP: a new rig appears, a bad file keeps the old one', async () => {
  const fleet = new Fleet({ seed: 6, startMs: Date.UTC(2026, 10, 1), gpuRigs: 1, gpusPerRig: 1, asics: 1 });
  fleet.step(1000);
  const asic = await serveCgminer(fleet.rig('asic0'));
  const gpu = await serveXmrig(fleet.rig('rig0'));
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-cli-hup-'));
  const file = join(dir, 'rigtune.yaml');
  const head = `data_dir: ${dir}\nhttp: {port: 8080}\nsinks: {parquet: {enabled: false}}\nrigs:\n`;
  const s19 = `  - name: s19\n    sources:\n      - {kind: cgminer, host: 127.0.0.1, port: ${asic.port}, interval_ms: 1000}\n`;
  const gpuRig = `  - name: gpu-rig\n    sources:\n      - {kind: xmrig, url: "http://127.0.0.1:${gpu.port}", interval_ms: 1000}\n`;
  writeFileSync(file, head + s19);
  // --port 0 overrides the file's 8080, on start and on every reload.
  const child = spawn(BIN, ['run', '--config', file, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /serving (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  const rigs = async () => ((await (await fetch(`${url}/api/rigs`)).json()) as RigsJson).rigs;
  try {
    const first = await rigs();
    assert.deepEqual(
      first.map((r) => [r.rig, r.sources.map((x) => x.kind)]),
      [['s19', ['cgminer']]],
      'a configured rig is listed before its first score',
    );
    writeFileSync(file, head + s19 + gpuRig);
    child.kill('SIGHUP');
    await waitUntil(async () => (await rigs()).some((r) => r.rig === 'gpu-rig'), 'gpu-rig in /api/rigs');
    await waitUntil(
      async () => (await rigs()).find((r) => r.rig === 'gpu-rig')?.status === 'scored',
      'gpu-rig scored',
    );
    await waitUntil(() => /Configuration reloaded/.test(stderr), 'the reload logged');
    assert.doesNotMatch(stderr, /needs a restart/, 'the --port override is not an HTTP change');

    writeFileSync(file, `${head + s19}    bogus: 1\n`);
    child.kill('SIGHUP');
    await waitUntil(() => /Configuration reload failed/.test(stderr), 'the bad reload logged');
    assert.match(stderr, /rigtune\.yaml:8:5/);
    assert.deepEqual(
      (await rigs()).map((r) => r.rig),
      ['gpu-rig', 's19'],
      'the old configuration keeps running',
    );
  } finally {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    await asic.close();
    await gpu.close();
  }
  assert.match(stderr, /Service stopped/);
  rmSync(dir, { recursive: true, force: true });
});
