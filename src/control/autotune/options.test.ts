// Tests of the autotune options: example.yaml validates and equals the defaults apart from its bounds;
// unknown keys and bad values are RT_CONFIG_INVALID naming the option.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { isRigtuneError } from '../../core/errors.ts';
import { DEFAULT_AUTOTUNE_OPTIONS, KillSwitch, optionsSchema, RigAutotune } from './index.ts';
import { FakeActuator, MemoryJournal } from './test-kit.ts';

test('example.yaml parses, validates and states the defaults', () => {
  const text = readFileSync(new URL('./example.yaml', import.meta.url), 'utf8');
  const options = optionsSchema.parse(parse(text));
  assert.deepEqual(options.bounds, { power_limit_w: { min: 220, max: 350 } });
  assert.deepEqual({ ...options, bounds: {} }, DEFAULT_AUTOTUNE_OPTIONS);
});

test('defaults', () => {
  const d = DEFAULT_AUTOTUNE_OPTIONS;
  assert.deepEqual(d.setpoints, ['power_limit_w']);
  assert.equal(d.max_step.power_limit_w, 25);
  assert.equal(d.max_actions_per_hour, 6);
  assert.deepEqual(d.temp_limits_c, { temp_core_c: 83, temp_mem_c: 100, temp_chip_max_c: 90 });
  assert.equal(optionsSchema.parse({ max_step: { fan_pct: 5 } }).max_step.power_limit_w, 25);
});

test('bad options are RT_CONFIG_INVALID naming the option', () => {
  const make = (options: unknown) =>
    new RigAutotune({
      rig: 'r',
      actuator: new FakeActuator('r', {}),
      journal: new MemoryJournal(),
      clock: new FakeClock(),
      killSwitch: new KillSwitch(),
      emit: () => undefined,
      options: options as never,
    });
  for (const [bad, field] of [
    [{ max_step: { power_limit_w: 0 } }, 'autotune.max_step.power_limit_w'],
    [{ bounds: { power_limit_w: { min: 300, max: 200 } } }, 'autotune.bounds.power_limit_w'],
    [{ setpoints: ['volts'] }, 'autotune.setpoints.0'],
    [{ confidnce: 0.9 }, 'autotune.confidnce'],
    [{ temp_limits_c: { temp_gpu_c: 80 } }, 'autotune.temp_limits_c.temp_gpu_c'],
  ] as const)
    assert.throws(
      () => make(bad),
      (e) => isRigtuneError(e, 'RT_CONFIG_INVALID') && e.where.field === field,
      JSON.stringify(bad),
    );
});
