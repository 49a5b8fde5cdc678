// The actuator registry against the tree and the config: one entry per src/control/actuators/<kind>/
// and back, the same kinds and schemas as config's map, every example.yaml valid; the sim driver needs
// the fleet and answers to the PCI bus ids a miner API reports when asked to.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ACTUATOR_KIND_NAMES, ACTUATOR_KINDS as CONFIG_KINDS } from '../config/index.ts';
import { isRigtuneError } from '../core/errors.ts';
import { Fleet } from '../sim/index.ts';
import { ACTUATOR_KINDS, ACTUATOR_REGISTRY, actuatorEntry } from './actuator-registry.ts';

const ACTUATORS = new URL('../control/actuators/', import.meta.url);
const ctx = { clock: { nowMs: () => 0, sleep: async () => undefined }, signal: new AbortController().signal };

test('one entry per driver folder, the kinds and schemas config validates with, valid examples', () => {
  const folders = readdirSync(ACTUATORS, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  assert.deepEqual([...ACTUATOR_KINDS].sort(), folders);
  assert.deepEqual([...ACTUATOR_KIND_NAMES], [...ACTUATOR_KINDS]);
  for (const kind of ACTUATOR_KINDS) {
    const entry = ACTUATOR_REGISTRY[kind];
    assert.equal(entry.kind, kind);
    assert.equal(entry.optionsSchema, CONFIG_KINDS[kind as keyof typeof CONFIG_KINDS]);
    const example = parse(readFileSync(new URL(`${kind}/example.yaml`, ACTUATORS), 'utf8'));
    const r = entry.optionsSchema.safeParse(example);
    assert.ok(r.success, `${kind}/example.yaml: ${r.success ? '' : r.error.message}`);
  }
  assert.throws(
    () => actuatorEntry('nvmll'),
    (e: unknown) => isRigtuneError(e) && /known: sim, nvml/.test(e.message),
  );
});

test('sim: needs the fleet; pci_bus_id names its GPUs as XMRig reports them', async () => {
  assert.throws(
    () => ACTUATOR_REGISTRY.sim.create({}, 'rig0', {}),
    (e: unknown) => isRigtuneError(e) && e.code === 'RT_CONFIG_INVALID' && /rigtune demo/.test(e.message),
  );
  const fleet = new Fleet({ seed: 1, startMs: 0, gpuRigs: 1, gpusPerRig: 2, asics: 0 });
  const plain = ACTUATOR_REGISTRY.sim.create({}, 'rig0', { fleet });
  assert.deepEqual(
    (await plain.describe(ctx)).map((d) => d.device),
    ['gpu0', 'gpu1'],
  );
  const named = ACTUATOR_REGISTRY.sim.create({}, 'rig0', { fleet, simDeviceNames: 'pci_bus_id' });
  const devices = (await named.describe(ctx)).map((d) => d.device);
  assert.deepEqual(devices, ['0000:01:00.0', '0000:02:00.0']);
  await named.write(devices[1], { kind: 'power_limit_w', value: 300 }, ctx);
  assert.equal(await named.read(devices[1], 'power_limit_w', ctx), 300);
  assert.equal(fleet.rig('rig0').gpus[1].powerLimitW, 300);
});
