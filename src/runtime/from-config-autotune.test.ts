// startFromConfig with auto-tune: the journal opened under data_dir, a controller per rig with an
// actuator (the sim driver on the fleet it is handed), the control API behind the configured token
// (a reload changes the token live), the kill switch from the file.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../config/index.ts';
import { Fleet } from '../sim/index.ts';
import { serveCgminer } from '../sim/serve/index.ts';
import { startFromConfig } from './from-config.ts';

const TOKEN_A = 'token-a-0123456789abcdef';
const TOKEN_B = 'token-b-0123456789abcdef';

test('auto-tune from rigtune.yaml: controllers, token-guarded control API, live token, kill switch', async () => {
  const fleet = new Fleet({ seed: 5, startMs: Date.now(), gpuRigs: 0, gpusPerRig: 1, asics: 1 });
  const asic = await serveCgminer(fleet.rig('asic0'));
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-from-config-autotune-'));
  const file = join(dir, 'rigtune.yaml');
  const yaml = (token: string) =>
    [
      `data_dir: ${JSON.stringify(dir)}`,
      'http: {host: 127.0.0.1, port: 0}',
      `control: {api_token: ${token}, kill_switch: true}`,
      'sinks: {parquet: {enabled: false}, audit: {enabled: false}, prometheus: {enabled: false}}',
      'rigs:',
      '  - name: asic0',
      `    sources: [{kind: cgminer, host: 127.0.0.1, port: ${asic.port}, interval_ms: 60000}]`,
      '    actuator: {kind: sim}',
      '  - name: observed',
      `    sources: [{kind: cgminer, host: 127.0.0.1, port: ${asic.port}, interval_ms: 60000}]`,
      '',
    ].join('\n');
  writeFileSync(file, yaml(TOKEN_A));
  const running = await startFromConfig(loadConfig(file, { env: {} }), {
    clock: { nowMs: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    logger: pino({ level: 'silent' }),
    env: {},
    version: 'test',
    fleet,
  });
  const url = running.address.url;
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
  try {
    assert.ok(existsSync(join(dir, 'journal', 'actions.journal.ndjson')), 'the journal lives under data_dir');
    const status = (await (await fetch(`${url}/api/autotune`)).json()) as {
      kill_switch: { engaged: boolean; reason: string };
      rigs: { rig: string; mode: string; actuator: string; devices: { device: string }[] }[];
    };
    assert.equal(status.kill_switch.engaged, true, 'control.kill_switch: true engages it at start');
    assert.deepEqual(
      status.rigs.map((r) => [r.rig, r.mode, r.actuator, r.devices.map((d) => d.device)]),
      [['asic0', 'advise', 'sim', ['total']]],
      'only the rig with an actuator has a controller',
    );
    assert.equal((await post('/api/rigs/asic0/autotune', { mode: 'auto' })).status, 401);
    assert.equal((await post('/api/rigs/asic0/autotune', { mode: 'auto' }, TOKEN_B)).status, 401);
    const set = await post('/api/rigs/asic0/autotune', { mode: 'auto' }, TOKEN_A);
    assert.deepEqual(await set.json(), { rig: 'asic0', mode: 'auto', previous: 'advise' });
    assert.equal((await post('/api/rigs/observed/autotune', { mode: 'auto' }, TOKEN_A)).status, 404);
    const manual = await post(
      '/api/rigs/asic0/actions',
      { device: 'total', kind: 'power_limit_w', value: 3000, reason: 'test' },
      TOKEN_A,
    );
    assert.equal(manual.status, 409);
    assert.equal(((await manual.json()) as { error: { guard: string } }).error.guard, 'kill_switch');

    writeFileSync(file, yaml(TOKEN_B));
    const out = await running.reload();
    assert.equal(out.ok, true);
    assert.deepEqual(out.needsRestart, []);
    assert.equal((await post('/api/killswitch', { engaged: false }, TOKEN_A)).status, 401, 'old token');
    const released = await post('/api/killswitch', { engaged: false }, TOKEN_B);
    assert.equal(released.status, 200);
    assert.equal(
      ((await released.json()) as { kill_switch: { engaged: boolean } }).kill_switch.engaged,
      false,
    );
  } finally {
    await running.stop();
    await asic.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
