// Tests of the thermal controller: smoothing, the hysteresis band of the fan, proportional raises within
// the rails, lowering only a fixed (not automatic) fan, saturation (duty, stall, no fan), power fallback.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_OPTIMIZER_OPTIONS, type ThermalOptions } from './options.ts';
import { powerView } from './test-kit.ts';
import {
  excessOf,
  fanSaturated,
  isHot,
  proposeFallback,
  proposeFan,
  type ThermalReading,
  type ThermalState,
  ThermalTracker,
} from './thermal.ts';

const O: ThermalOptions = DEFAULT_OPTIMIZER_OPTIONS.thermal;

function reading(
  ts: number,
  core: number | null,
  mem: number | null,
  fan: number | null,
  rpm = 2000,
): ThermalReading {
  return {
    ts,
    temps: { temp_core_c: core, temp_mem_c: mem, temp_chip_max_c: null },
    fanPct: fan,
    fanRpm: rpm,
    powerW: 250,
  };
}

function state(core: number | null, mem: number | null, fan: number | null, rpm = 2000): ThermalState {
  const t = new ThermalTracker({ ...O, smoothing_ms: 0 });
  t.add('gpu0', reading(1000, core, mem, fan, rpm));
  return t.get('gpu0') as ThermalState;
}

const fanView = (current: number, atDefault = true) =>
  powerView(current, {
    kind: 'fan_pct',
    bounds: { min: 30, max: 100, step: 1 },
    maxStep: 10,
    minStep: 2,
    atDefault,
  });

test('tracker: exponential smoothing with the configured time constant; stale readings ignored', () => {
  const t = new ThermalTracker(O);
  t.add('gpu0', reading(0, 60, 90, 50));
  t.add('gpu0', reading(60_000, 80, 90, 55));
  const s = t.get('gpu0') as ThermalState;
  assert.ok(Math.abs((s.temps.temp_core_c as number) - (60 + 20 * (1 - Math.exp(-1)))) < 1e-9);
  assert.equal(s.fanPct, 55, 'fan duty is the latest, not smoothed');
  t.add('gpu0', reading(30_000, 20, 20, 20));
  assert.equal(t.get('gpu0'), s);
  assert.equal(t.get('gpu1'), undefined);
});

test('excess is the worst sensor against its own target; null targets and readings are skipped', () => {
  assert.equal(excessOf(state(70, 95, 50), O), 5);
  assert.equal(excessOf(state(80, null, 50), O), 5);
  assert.equal(excessOf(state(null, null, 50), O), null);
  assert.equal(excessOf(state(80, 95, 50), { ...O, targets_c: { ...O.targets_c, temp_core_c: null } }), 5);
});

test('fan: raises in proportion to the excess within the rails; holds inside the band', () => {
  assert.equal(proposeFan(fanView(60), state(70, 93, 60), O)?.value, 69, '3 °C over → +9 %');
  assert.equal(proposeFan(fanView(60), state(70, 100, 60), O)?.value, 70, 'capped at the max step');
  const gentle = { ...O, gain_pct_per_c: 0.5 };
  assert.equal(proposeFan(fanView(60), state(70, 92.5, 60), gentle)?.value, 62, 'at least the min step');
  assert.equal(proposeFan(fanView(60), state(70, 91, 60), O), null, 'within the band');
  assert.equal(proposeFan(fanView(100), state(70, 99, 100), O), null, 'already at the top');
  assert.equal(proposeFan(fanView(96), state(70, 99, 96), O)?.value, 100, 'never past the bound');
  assert.equal(proposeFan(fanView(60), undefined, O), null);
});

test('fan: lowered only from a fixed duty and when every sensor is lower_band below its target', () => {
  assert.equal(proposeFan(fanView(80, false), state(60, 80, 80), O)?.value, 78);
  assert.equal(proposeFan(fanView(80), state(60, 80, 80), O), null, 'automatic fan: left alone');
  assert.equal(proposeFan(fanView(80, false), state(60, 85, 80), O), null, 'memory only 5 °C under');
  assert.equal(proposeFan(fanView(30, false), state(40, 50, 30), O), null, 'at the lower bound');
});

test('saturation: duty at the limit, a stalled fan, or no fan at all', () => {
  assert.equal(fanSaturated(state(80, 90, 98), O), true);
  assert.equal(fanSaturated(state(80, 90, 90), O), false);
  assert.equal(fanSaturated(state(80, 90, 80), O, 80), true, "at the fan's configured maximum");
  assert.equal(fanSaturated(state(80, 90, 60, 0), O), true, 'stalled');
  assert.equal(fanSaturated(state(80, 90, 10, 0), O), false, 'just off');
  assert.equal(fanSaturated(state(80, 90, null), O), true, 'fanless card');
});

test('fallback: hot with a saturated fan cuts the power limit by a fraction, at least the min step', () => {
  const hot = state(80, 90, 100);
  assert.equal(isHot(hot, O), true);
  assert.equal(proposeFallback(powerView(350), hot, O)?.value, 332);
  assert.equal(proposeFallback(powerView(60, { bounds: { min: 50, max: 100 } }), hot, O)?.value, 55);
  assert.equal(proposeFallback(powerView(350), state(80, 90, 70), O), null, 'the fan can still help');
  assert.equal(proposeFallback(powerView(350), state(76, 90, 100), O), null, 'within the band');
  assert.equal(proposeFallback(powerView(202), hot, O), null, 'at the lower bound');
  assert.match(proposeFallback(powerView(350), state(80, 90, null), O)?.reason ?? '', /thermal fallback/);
});
