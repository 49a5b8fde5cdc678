// lower_core_clock and check_power_supply: throttle bits, hardware-error rates, ASIC vs GPU deltas.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ADVISORY_OPTIONS as D } from '../options.ts';
import { GPU_OK, viewOf, withRules } from '../test-kit.ts';
import { checkPowerSupply, lowerCoreClock } from './clock.ts';

test('lower_core_clock fires on thermal throttle bits, not on the power-cap bit', () => {
  const f = lowerCoreClock(viewOf({ ...GPU_OK, throttle_flags: 0x20, clock_core_mhz: 1755 }), D)!;
  assert.equal(f.state, 'on');
  assert.deepEqual(f.delta, { setpoint: 'clock_core_max_mhz', by: -50, unit: 'MHz' });
  assert.equal(f.severity, 'warning');
  assert.equal(
    f.reason,
    'rig0/gpu0 is throttling (flags 0x20) at 1755 MHz: lower its core clock ceiling by 50 MHz.',
  );
  assert.equal(lowerCoreClock(viewOf({ ...GPU_OK, throttle_flags: 0x68 }), D)!.severity, 'critical');
  assert.equal(lowerCoreClock(viewOf({ ...GPU_OK, throttle_flags: 0x4 }), D)!.state, 'off');
  assert.equal(lowerCoreClock(viewOf({ ...GPU_OK, throttle_flags: 0x88 }), D)!.state, 'off');
});

test('lower_core_clock fires on a hardware-error rate with enough errors, with a clear band', () => {
  const at = (hwPerMin: number, hwCount: number) =>
    lowerCoreClock(viewOf({ ...GPU_OK, throttle_flags: null }, { hwPerMin, hwCount }), D)!.state;
  assert.equal(at(3, 30), 'on');
  assert.equal(at(3, 4), 'hold'); // rate high but too few errors to trust it
  assert.equal(at(1.5, 15), 'hold');
  assert.equal(at(0.5, 5), 'off');
  const f = lowerCoreClock(viewOf({ ...GPU_OK, throttle_flags: 0 }, { hwPerMin: 3, hwCount: 30 }), D)!;
  assert.match(f.reason, /makes 3 hardware errors per minute \(30 in the last 10 min\)/);
  assert.equal(lowerCoreClock(viewOf({ ...GPU_OK, throttle_flags: null, hw_errors: null }), D), null);
});

test('ASIC boards step their frequency profile instead of a MHz ceiling', () => {
  const board = viewOf(
    { temp_chip_max_c: 80, hw_errors: 40 },
    { device: 'board1', hwPerMin: 9, hwCount: 90 },
  );
  const f = lowerCoreClock(board, D)!;
  assert.equal(f.state, 'on');
  assert.deepEqual(f.delta, { setpoint: 'profile_step', by: -1, unit: 'step' });
  assert.equal(f.target.board, 1);
  assert.match(f.reason, /step its frequency profile down by one/);
});

test('a configured mask changes what counts as throttling', () => {
  const o = withRules({ lower_core_clock: { throttle_mask: 0x4 } });
  assert.equal(lowerCoreClock(viewOf({ ...GPU_OK, throttle_flags: 0x4 }), o)!.state, 'on');
});

test('check_power_supply fires on the power brake bit', () => {
  const f = checkPowerSupply(viewOf({ ...GPU_OK, throttle_flags: 0x88, power_w: 168 }), D)!;
  assert.equal(f.state, 'on');
  assert.equal(f.delta, null);
  assert.equal(
    f.reason,
    'rig0/gpu0 reports the hardware power brake (flags 0x88) at 168 W: check its power supply and cabling.',
  );
  assert.equal(checkPowerSupply(viewOf({ ...GPU_OK, throttle_flags: 0x20 }), D)!.state, 'off');
  assert.equal(checkPowerSupply(viewOf({ ...GPU_OK, throttle_flags: null }), D), null);
});
