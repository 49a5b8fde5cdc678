// raise_fan and lower_power_limit: which readings turn them on, off, or leave them in their band.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ADVISORY_OPTIONS as D } from '../options.ts';
import { GPU_OK, viewOf, withRules } from '../test-kit.ts';
import { lowerPowerLimit, powerCutW, raiseFan } from './thermal.ts';

test('raise_fan: on when hot with fan headroom, off when cool, hold in the band', () => {
  const hot = raiseFan(viewOf({ ...GPU_OK, temp_core_c: 81, fan_pct: 70 }), D)!;
  assert.equal(hot.state, 'on');
  assert.deepEqual(hot.delta, { setpoint: 'fan_pct', by: 10, unit: '%' });
  assert.equal(hot.severity, 'warning');
  assert.match(
    hot.reason,
    /rig0\/gpu0 runs hot \(core 81 °C, hot mark 80 °C\) with its fan at 70 %: raise the fan by 10 points\./,
  );
  assert.equal(hot.evidence.temp_core_c, 81);
  assert.equal(raiseFan(viewOf({ ...GPU_OK, temp_core_c: 78 }), D)!.state, 'hold');
  assert.equal(raiseFan(viewOf({ ...GPU_OK, temp_core_c: 76 }), D)!.state, 'off');
  // memory junction binds when it is further past its own mark
  const mem = raiseFan(viewOf({ ...GPU_OK, temp_mem_c: 106 }), D)!;
  assert.equal(mem.state, 'on');
  assert.equal(mem.evidence.temp_mem_c, 106);
  assert.equal(raiseFan(viewOf({ ...GPU_OK, temp_core_c: 86 }), D)!.severity, 'critical');
});

test('raise_fan: off when the fan has no headroom or is stalled; null without a fan reading', () => {
  assert.equal(raiseFan(viewOf({ ...GPU_OK, temp_core_c: 85, fan_pct: 93 }), D)!.state, 'off');
  assert.equal(raiseFan(viewOf({ ...GPU_OK, temp_core_c: 85, fan_pct: 60, fan_rpm: 0 }), D)!.state, 'off');
  assert.equal(raiseFan(viewOf({ ...GPU_OK, fan_pct: null, fan_rpm: null }), D), null);
});

test('raise_fan escalates a warning to critical on a macro rupture', () => {
  const f = raiseFan(viewOf({ ...GPU_OK, temp_core_c: 81 }, { tick: { rupture_class: 'macro' } }), D)!;
  assert.equal(f.severity, 'critical');
  const off = { ...D, escalate_on_macro: false };
  assert.equal(
    raiseFan(viewOf({ ...GPU_OK, temp_core_c: 81 }, { tick: { rupture_class: 'macro' } }), off)!.severity,
    'warning',
  );
});

test('lower_power_limit thermal branch: hot with no fan headroom, or no fan at all', () => {
  const f = lowerPowerLimit(viewOf({ ...GPU_OK, temp_mem_c: 109, fan_pct: 93, fan_rpm: 0 }), D)!;
  assert.equal(f.state, 'on');
  assert.deepEqual(f.delta, { setpoint: 'power_limit_w', by: -18, unit: 'W' });
  assert.match(
    f.reason,
    /memory junction 109 °C, hot mark 104 °C\) with a stalled fan: lower its power limit by 18 W \(350 → 332 W\)\./,
  );
  assert.equal(f.severity, 'critical'); // 5 °C over the mark
  const h100 = {
    ...GPU_OK,
    fan_pct: null,
    fan_rpm: null,
    power_w: 650,
    power_limit_w: 700,
    temp_core_c: 87,
    temp_mem_c: 50,
  };
  const g = lowerPowerLimit(viewOf(h100), D)!;
  assert.equal(g.state, 'on');
  assert.equal(g.delta?.by, -35);
  assert.match(g.reason, /with no fan control/);
  // hot but the fan can still help: raise_fan's job, not this one
  assert.equal(lowerPowerLimit(viewOf({ ...GPU_OK, temp_core_c: 85, fan_pct: 70 }), D)!.state, 'off');
});

test('lower_power_limit efficiency branch needs low eff_norm at the power limit', () => {
  const atLimit = { ...GPU_OK, power_w: 345, temp_mem_c: 90 };
  assert.equal(lowerPowerLimit(viewOf(atLimit, { tick: { kpis: { eff_norm: 0.2 } } }), D)!.state, 'on');
  assert.equal(lowerPowerLimit(viewOf(atLimit, { tick: { kpis: { eff_norm: 0.2 } } }), D)!.severity, 'info');
  assert.equal(lowerPowerLimit(viewOf(atLimit, { tick: { kpis: { eff_norm: 0.3 } } }), D)!.state, 'hold');
  assert.equal(lowerPowerLimit(viewOf(atLimit, { tick: { kpis: { eff_norm: 0.45 } } }), D)!.state, 'off');
  const low = { ...atLimit, power_w: 250 };
  assert.equal(lowerPowerLimit(viewOf(low, { tick: { kpis: { eff_norm: 0.1 } } }), D)!.state, 'off');
  assert.equal(lowerPowerLimit(viewOf({ ...GPU_OK, power_limit_w: null }), D), null);
});

test('the power cut is step_frac of the limit, at least min_step_w, in whole watts', () => {
  assert.equal(powerCutW(350, D), -18);
  assert.equal(powerCutW(3250, D), -163);
  assert.equal(powerCutW(60, D), -5);
  assert.equal(powerCutW(350, withRules({ lower_power_limit: { step_frac: 0.1 } })), -35);
});
