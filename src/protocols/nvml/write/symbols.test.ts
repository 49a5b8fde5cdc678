// The read/write split of the NVML binding: the reader binds and names no setter and never calls one
// (checked against the fake's call log); the writer's mutating symbols are exactly the listed seven.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildFakeNvml, type FakeNvml, fakeNvmlScript } from '../../../../test/helpers/build-fake-nvml.ts';
import { NVML_SYMBOLS } from '../bindings.ts';
import { NvmlClient } from '../client.ts';
import { NvmlControl } from './control.ts';
import { NVML_CONTROL_GETTERS, NVML_SET_SYMBOLS } from './symbols.ts';

const MUTATING = /^nvml(Device|Unit|System)(Set|Reset|Clear)/;

let fake: FakeNvml;
before(() => {
  fake = buildFakeNvml();
});
after(() => fake.remove());

test('the writer binds exactly these set calls, and nothing else that changes a GPU', () => {
  assert.deepEqual(
    [...NVML_SET_SYMBOLS],
    [
      'nvmlDeviceSetPowerManagementLimit',
      'nvmlDeviceSetGpuLockedClocks',
      'nvmlDeviceResetGpuLockedClocks',
      'nvmlDeviceSetMemoryLockedClocks',
      'nvmlDeviceResetMemoryLockedClocks',
      'nvmlDeviceSetFanSpeed_v2',
      'nvmlDeviceSetDefaultFanSpeed_v2',
    ],
  );
  for (const name of NVML_CONTROL_GETTERS) assert.match(name, /^nvmlDeviceGet/);
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const named = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')))
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(
      /nvml(Device|Unit|System)(Set|Reset|Clear)\w*/g,
    ))
      named.add(m[0]);
  assert.deepEqual([...named].sort(), [...NVML_SET_SYMBOLS].sort());
});

test('the reader stays read-only: no setter among its symbols, none named, write/ never imported', () => {
  for (const name of Object.keys(NVML_SYMBOLS)) assert.doesNotMatch(name, MUTATING);
  const readerDir = fileURLToPath(new URL('..', import.meta.url));
  for (const file of readdirSync(readerDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const text = readFileSync(join(readerDir, file), 'utf8');
    assert.doesNotMatch(text, /nvml(Device|Unit|System)(Set|Reset|Clear)/, file);
    assert.doesNotMatch(text, /from '\.\/write\//, file);
  }
});

test('reading every GPU calls no set function, even from a library that exports them', async () => {
  fake.useScript(fakeNvmlScript('control-gpus.txt'));
  fake.clearLog();
  const client = await NvmlClient.open({ libraryPath: fake.libraryPath });
  try {
    const { devices } = await client.listDevices();
    for (const device of devices) await client.readDevice(device);
  } finally {
    await client.close();
  }
  const calls = fake.calls().map((c) => c.split(' ')[0]);
  assert.ok(calls.includes('nvmlDeviceGetPowerManagementLimit'));
  assert.deepEqual(
    calls.filter((c) => MUTATING.test(c)),
    [],
  );
});

test('the writer resolves every symbol from the current fake, and none of the new ones from an old driver', async () => {
  const old = buildFakeNvml({ old: true });
  try {
    fake.useScript(fakeNvmlScript('control-gpus.txt'));
    const current = await NvmlControl.open({ libraryPath: fake.libraryPath });
    for (const name of [...NVML_SET_SYMBOLS, ...NVML_CONTROL_GETTERS]) assert.ok(current.has(name), name);
    await current.close();
    old.useScript(fakeNvmlScript('control-gpus.txt'));
    const legacy = await NvmlControl.open({ libraryPath: old.libraryPath });
    const missing = [...NVML_SET_SYMBOLS, ...NVML_CONTROL_GETTERS].filter((s) => !legacy.has(s));
    assert.deepEqual(missing.sort(), [
      'nvmlDeviceGetFanControlPolicy_v2',
      'nvmlDeviceGetTargetFanSpeed',
      'nvmlDeviceResetMemoryLockedClocks',
      'nvmlDeviceSetMemoryLockedClocks',
    ]);
    await legacy.close();
  } finally {
    old.remove();
  }
});
