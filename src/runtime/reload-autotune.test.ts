// SIGHUP reloads of the auto-tune parts: modes, options and the configured kill switch apply live; a
// changed actuator or journal directory is kept as it runs and logged as needing a restart (each time).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { loadConfig } from '../config/index.ts';
import { KillSwitch } from '../control/autotune/index.ts';
import { ActionJournal } from '../control/journal/index.ts';
import { Fleet } from '../sim/index.ts';
import { create as createEmbedded } from '../sinks/embedded/index.ts';
import { reloadFromFile } from './reload.ts';
import { Service } from './service.ts';
import { serviceRigs, serviceSampling } from './service-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-reload-autotune-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'rigtune.yaml');

interface Shape {
  mode: string;
  maxStep: number;
  devices: string;
  journal: string;
  kill: boolean;
  optimizer?: string;
}

function yaml(o: Shape): string {
  return [
    `data_dir: ${dir}`,
    `control: {journal_dir: ${join(dir, o.journal)}, kill_switch: ${o.kill}}`,
    'rigs:',
    '  - name: rig0',
    '    sources: [{kind: cgminer, host: 127.0.0.1, port: 40000, retries: 0}]',
    `    actuator: {kind: sim, devices: ${o.devices}}`,
    `    autotune: {mode: ${o.mode}, max_step: {power_limit_w: ${o.maxStep}}}`,
    ...(o.optimizer === undefined ? [] : [`    optimizer: ${o.optimizer}`]),
    '',
  ].join('\n');
}

test('mode, options and kill switch apply live; actuator and journal_dir need a restart', async () => {
  const first = { mode: 'advise', maxStep: 25, devices: 'null', journal: 'j1', kill: false };
  writeFileSync(file, yaml(first));
  const config = loadConfig(file, { env: {} });
  const clock = new FakeClock(1_780_000_000_000);
  const fleet = new Fleet({ seed: 1, startMs: clock.nowMs(), gpuRigs: 1, gpusPerRig: 2, asics: 0 });
  const journal = await ActionJournal.open({ dir: config.control.journalDir });
  const killSwitch = new KillSwitch();
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  const actuators = { fleet };
  const service = new Service(serviceRigs(config, {}, undefined, actuators), serviceSampling(config), {
    clock,
    timers: clock,
    logger,
    sinks: [createEmbedded({}, { clock })],
    control: { journal, killSwitch },
  });
  after(async () => {
    // The cgminer source's first poll waits on the fake clock (nothing listens): let it time out.
    const stopping = service.stop();
    await clock.advance(60_000);
    await stopping;
    await journal.close();
  });
  await service.start();
  const control = service.control();
  assert.ok(control !== null);
  assert.equal(control.status()[0].mode, 'advise');

  writeFileSync(file, yaml({ mode: 'auto', maxStep: 10, devices: '[gpu0]', journal: 'j2', kill: true }));
  const out = await reloadFromFile(file, config, { service, env: {}, actuators });
  assert.deepEqual(out.needsRestart, ['control.journal_dir', 'rigs.rig0.actuator']);
  assert.deepEqual(out.diff?.rigsChanged, [
    { name: 'rig0', parts: ['autotune', 'autotuneOptions', 'actuator'] },
  ]);
  await clock.advance(0);
  assert.equal(control.status()[0].mode, 'auto', 'the mode applies live');
  assert.equal(control.killSwitch().engaged, true, 'the configured kill switch applies live');
  assert.equal(killSwitch.reason, 'configuration (control.kill_switch)');
  assert.deepEqual(out.config.rigs[0].actuator, config.rigs[0].actuator, 'the running actuator is kept');
  assert.equal(out.config.control.journalDir, config.control.journalDir);
  const restart = lines.findLast((l) => l.code === 'config_needs_restart');
  assert.deepEqual(restart?.parts, ['control.journal_dir', 'rigs.rig0.actuator']);
  assert.ok(lines.some((l) => l.code === 'autotune_reconfigured' && l.rig === 'rig0'));

  // The same file again: the actuator still differs from the running one, and still says so.
  const again = await reloadFromFile(file, out.config, { service, env: {}, actuators });
  assert.deepEqual(again.needsRestart, ['control.journal_dir', 'rigs.rig0.actuator']);

  // The optimizer's options: a new search starts, nothing is rolled back.
  const optimizer = '{search: {max_retries: 2}, thermal: {}}';
  writeFileSync(
    file,
    yaml({ mode: 'auto', maxStep: 10, devices: '[gpu0]', journal: 'j2', kill: true, optimizer }),
  );
  const tuned = await reloadFromFile(file, again.config, { service, env: {}, actuators });
  assert.deepEqual(tuned.diff?.rigsChanged, [{ name: 'rig0', parts: ['optimizerOptions', 'actuator'] }]);
  assert.equal(tuned.config.rigs[0].optimizerOptions.search.max_retries, 2);
  const reconfigured = lines.findLast((l) => l.code === 'autotune_reconfigured');
  assert.equal(reconfigured?.optimizer_restarted, true);
});

test('a service started without any actuator cannot add a controller live: it says so', async () => {
  writeFileSync(file, yaml({ mode: 'advise', maxStep: 25, devices: 'null', journal: 'j3', kill: false }));
  const config = loadConfig(file, { env: {} });
  const bare = { ...config, rigs: config.rigs.map((r) => ({ ...r, actuator: null })) };
  const clock = new FakeClock(1_780_000_000_000);
  const service = new Service(serviceRigs(bare, {}), serviceSampling(bare), {
    clock,
    timers: clock,
    logger: pino({ level: 'silent' }),
    sinks: [createEmbedded({}, { clock })],
  });
  const out = await reloadFromFile(file, bare, { service, env: {} });
  assert.deepEqual(out.needsRestart, ['rigs.rig0.actuator']);
  assert.equal(service.control(), null);
  await service.stop();
});
