// The service built from a rigtune.yaml against the simulator's real wire servers: rigs appear in the
// HTTP API, /metrics and /healthz answer, and stop() leaves Parquet history and an audit log behind.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { parseConfigText } from '../../src/config/index.ts';
import { startFromConfig } from '../../src/runtime/from-config.ts';
import { Fleet } from '../../src/sim/index.ts';
import { serveCgminer, serveXmrig } from '../../src/sim/serve/index.ts';
import { waitUntil } from '../helpers/redis-server.ts';

test('rigtune.yaml → sources over sockets → scores in the API, metrics, Parquet and audit on stop', async () => {
  const fleet = new Fleet({ seed: 3, startMs: Date.UTC(2026, 10, 1), gpuRigs: 1, gpusPerRig: 2, asics: 1 });
  for (let i = 0; i < 30; i += 1) fleet.step(1000);
  const gpu = await serveXmrig(fleet.rig('rig0'));
  const asic = await serveCgminer(fleet.rig('asic0'));
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-run-'));
  const text = [
    `data_dir: ${dir}`,
    'http: {host: 127.0.0.1, port: 0}',
    'sampling: {interval_ms: 1000}',
    'rigs:',
    '  - name: gpu-rig',
    '    sources:',
    `      - {kind: xmrig, url: "http://127.0.0.1:${gpu.port}", interval_ms: 1000}`,
    '  - name: s19',
    '    sources:',
    `      - {kind: cgminer, host: 127.0.0.1, port: ${asic.port}, interval_ms: 1000}`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'rigtune.yaml'), text);
  const config = parseConfigText(text, join(dir, 'rigtune.yaml'), {});
  const running = await startFromConfig(config, {
    clock: { nowMs: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    logger: pino({ level: 'silent' }),
    env: {},
    version: 'test',
  });
  try {
    const base = running.address.url;
    type Rigs = { rigs: Array<{ rig: string; status: string }> };
    const listed = (await (await fetch(`${base}/api/rigs`)).json()) as Rigs;
    assert.deepEqual(
      listed.rigs.map((r) => r.rig),
      ['gpu-rig', 's19'],
      'configured rigs are listed from the start',
    );
    await waitUntil(async () => {
      const { rigs } = (await (await fetch(`${base}/api/rigs`)).json()) as Rigs;
      return rigs.length === 2 && rigs.every((r) => r.status === 'scored');
    }, 'both rigs scored in /api/rigs');
    const rig = (await (await fetch(`${base}/api/rigs/s19`)).json()) as { state: { devices: unknown[] } };
    assert.ok(rig.state.devices.length >= 2, 'boards and the rig total are scored');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /rigtune_sep_score\{rig="gpu-rig"/);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  } finally {
    await running.stop();
    await gpu.close();
    await asic.close();
  }
  const partitions = readdirSync(join(dir, 'snapshots'));
  assert.ok(partitions.some((p) => p.startsWith('date=')));
  assert.ok(existsSync(join(dir, 'audit')));
  rmSync(dir, { recursive: true, force: true });
});
