// The nvml actuator options: example.yaml parses and validates, defaults are as documented, bad values
// are configuration errors naming the option, and the library path falls back to RIGTUNE_NVML_LIB.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { isRigtuneError } from '../../../core/errors.ts';
import { create, kind, NVML_LIBRARY_ENV, NVML_SETPOINTS, optionsSchema } from './index.ts';

test('example.yaml is a valid configuration', () => {
  const doc = parse(readFileSync(new URL('./example.yaml', import.meta.url), 'utf8'));
  const options = optionsSchema.parse(doc);
  assert.deepEqual(options, {
    library_path: 'libnvidia-ml.so.1',
    devices: ['0000:01:00.0', 'GPU-39762834-1690-1ce6-e823-b57c956e4780'],
    setpoints: ['power_limit_w', 'clock_core_max_mhz'],
  });
  const driver = create(doc, { rig: 'r' });
  assert.equal(driver.kind, kind);
  assert.equal(driver.rig, 'r');
  assert.equal(driver.libraryPath, 'libnvidia-ml.so.1');
});

test('defaults: every GPU, all four set-points, the library from the environment or the loader', () => {
  assert.deepEqual(optionsSchema.parse({}), { setpoints: [...NVML_SETPOINTS] });
  assert.deepEqual(NVML_SETPOINTS, ['power_limit_w', 'clock_core_max_mhz', 'clock_mem_max_mhz', 'fan_pct']);
  assert.equal(create({}, { rig: 'r' }).libraryPath, 'libnvidia-ml.so.1');
  assert.equal(create({}, { rig: 'r', env: { [NVML_LIBRARY_ENV]: '/opt/nv.so' } }).libraryPath, '/opt/nv.so');
  assert.equal(
    create({ library_path: '/x.so' }, { rig: 'r', env: { [NVML_LIBRARY_ENV]: '/opt/nv.so' } }).libraryPath,
    '/x.so',
  );
});

test('bad options are RT_CONFIG_INVALID naming the field', () => {
  const bad: [object, RegExp][] = [
    [{ libary_path: 'x' }, /^nvml: .*libary_path/],
    [{ library_path: '' }, /^nvml\.library_path/],
    [{ devices: [] }, /^nvml\.devices/],
    [{ setpoints: ['profile_step'] }, /^nvml\.setpoints\.0/],
    [{ setpoints: [] }, /^nvml\.setpoints/],
  ];
  for (const [options, message] of bad)
    assert.throws(
      () => create(options as never, { rig: 'r' }),
      (e: unknown) => isRigtuneError(e, 'RT_CONFIG_INVALID') && message.test(e.message),
      JSON.stringify(options),
    );
});
