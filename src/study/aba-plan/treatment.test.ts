// Treatment texts: absolute and relative set-points, autotune, and clear refusals of anything else.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTreatment, treatmentTarget } from './treatment.ts';

test('absolute, relative and autotune treatments', () => {
  const abs = parseTreatment('power_limit_w=250');
  assert.deepEqual(abs, {
    type: 'setpoint',
    kind: 'power_limit_w',
    value: 250,
    relative: false,
    text: 'power_limit_w=250',
  });
  const down = parseTreatment(' power_limit_w=-20 ');
  assert.equal(down.type === 'setpoint' && treatmentTarget(down, 350), 330);
  const up = parseTreatment('fan_pct=+10');
  assert.equal(up.type === 'setpoint' && treatmentTarget(up, 60), 70);
  assert.equal(abs.type === 'setpoint' && treatmentTarget(abs, 700), 250);
  assert.deepEqual(parseTreatment('clock_core_max_mhz=1500.5'), {
    type: 'setpoint',
    kind: 'clock_core_max_mhz',
    value: 1500.5,
    relative: false,
    text: 'clock_core_max_mhz=1500.5',
  });
  assert.deepEqual(parseTreatment('autotune'), { type: 'autotune', text: 'autotune' });
});

test('unknown set-points and malformed values are usage errors naming the forms', () => {
  assert.throws(() => parseTreatment('voltage_mv=800'), {
    code: 'RT_CLI_USAGE',
    message: /unknown set-point 'voltage_mv'/,
  });
  for (const bad of [
    'power_limit_w',
    'power_limit_w=',
    'power_limit_w=abc',
    'power_limit_w=1e3',
    '=5',
    'auto',
  ])
    assert.throws(() => parseTreatment(bad), { code: 'RT_CLI_USAGE' }, bad);
});
