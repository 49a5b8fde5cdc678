// Rules on throttling and hardware errors: lower the core clock when the device throttles for heat or
// computes errors, and check the power supply when the hardware power brake engages.

import type { AdvisoryOptions } from '../options.ts';
import type { AdviceDelta, DeviceView, Finding, FindingGist } from '../types.ts';
import {
  anyOf,
  type Band,
  band,
  deviceTarget,
  escalate,
  fmt,
  lookGist,
  nameOf,
  num,
  scoreEvidence,
} from './common.ts';

/** NVML HW thermal slowdown (nvmlClocksEventReasonHwThermalSlowdown). */
const HW_THERMAL = 0x40;

function hex(x: number): string {
  return `0x${x.toString(16)}`;
}

/** ASIC devices (boards, or anything reporting chip temperatures) step their frequency profile instead. */
function clockDelta(view: DeviceView, o: AdvisoryOptions): AdviceDelta {
  const isAsic = view.board !== null || num(view.snapshot?.temp_chip_max_c) !== null;
  return isAsic
    ? { setpoint: 'profile_step', by: -1, unit: 'step' }
    : { setpoint: 'clock_core_max_mhz', by: -o.rules.lower_core_clock.step_mhz, unit: 'MHz' };
}

function throttleBand(flags: number | null, mask: number): Band | null {
  return flags === null ? null : (flags & mask) !== 0 ? 'on' : 'off';
}

/** lower_core_clock's verdict alone (no allocation): its state, null when it returns null. */
export function lowerCoreClockState(view: DeviceView, o: AdvisoryOptions): Band | null {
  const r = o.rules.lower_core_clock;
  const flags = num(view.snapshot?.throttle_flags);
  const rate = view.hwErrorsPerMin;
  if (flags === null && rate === null) return null;
  let errors: Band | null = null;
  if (rate !== null) {
    errors = band(rate, r.hw_errors_trigger_per_min, r.hw_errors_clear_per_min, 'above');
    if (errors === 'on' && (view.hwErrorsInWindow ?? 0) < r.hw_errors_min_count) errors = 'hold';
  }
  return anyOf(throttleBand(flags, r.throttle_mask), errors) ?? 'hold';
}

/**
 * lower_core_clock: a throttle bit of `throttle_mask` set (thermal slowdown by default), or hardware
 * errors at ≥ `hw_errors_trigger_per_min` over the window with at least `hw_errors_min_count` of them.
 * Clears when no masked bit is set and the error rate is at or below the clear rate. Null when the
 * device reports neither throttle flags nor a hardware-error counter.
 */
export function lowerCoreClock(view: DeviceView, o: AdvisoryOptions): Finding | null {
  const state = lowerCoreClockState(view, o);
  if (state === null) return null;
  const r = o.rules.lower_core_clock;
  const flags = num(view.snapshot?.throttle_flags);
  const rate = view.hwErrorsPerMin;
  const count = view.hwErrorsInWindow;
  const throttled = throttleBand(flags, r.throttle_mask);
  const delta = clockDelta(view, o);
  const change =
    delta.setpoint === 'profile_step'
      ? 'step its frequency profile down by one'
      : `lower its core clock ceiling by ${fmt(-delta.by, 0)} MHz`;
  const clock = num(view.snapshot?.clock_core_mhz);
  const at = clock === null ? '' : ` at ${fmt(clock, 0)} MHz`;
  let reason: string;
  if (throttled === 'on' && flags !== null)
    reason = `${nameOf(view)} is throttling (flags ${hex(flags)})${at}: ${change}.`;
  else
    reason = `${nameOf(view)} makes ${fmt(rate ?? 0)} hardware errors per minute (${count ?? 0} in the last ${fmt((view.hwErrorsSpanS ?? 0) / 60)} min): ${change}.`;
  return {
    kind: 'lower_core_clock',
    target: deviceTarget(view),
    state,
    severity: lowerCoreClockGist(view, o).severity,
    delta,
    reason,
    evidence: {
      ...scoreEvidence(view),
      throttle_flags: flags,
      throttle_mask: r.throttle_mask,
      clock_core_mhz: clock,
      hw_errors_per_min: rate === null ? null : Number(rate.toFixed(3)),
      hw_errors_in_window: count,
      hw_errors_window_s: view.hwErrorsSpanS,
    },
  };
}

/** lower_core_clock's severity and delta (for a device lowerCoreClock applies to). */
export function lowerCoreClockGist(view: DeviceView, o: AdvisoryOptions): FindingGist {
  const r = o.rules.lower_core_clock;
  const flags = num(view.snapshot?.throttle_flags);
  const rate = view.hwErrorsPerMin;
  const hwThermal =
    flags !== null && (flags & HW_THERMAL) !== 0 && throttleBand(flags, r.throttle_mask) === 'on';
  const manyErrors = rate !== null && rate >= 5 * r.hw_errors_trigger_per_min;
  return {
    severity: escalate(hwThermal || manyErrors ? 'critical' : 'warning', view, o),
    delta: clockDelta(view, o),
  };
}

/** check_power_supply: a throttle bit of its mask (HW power brake, 0x80) is set. Null without flags. */
export function checkPowerSupply(view: DeviceView, o: AdvisoryOptions): Finding | null {
  const state = checkPowerSupplyState(view, o);
  if (state === null) return null;
  const flags = num(view.snapshot?.throttle_flags) as number;
  const m = o.rules.check_power_supply.throttle_mask;
  const power = num(view.snapshot?.power_w);
  const at = power === null ? '' : ` at ${fmt(power, 0)} W`;
  return {
    kind: 'check_power_supply',
    target: deviceTarget(view),
    state,
    severity: checkPowerSupplyGist(view, o).severity,
    delta: null,
    reason: `${nameOf(view)} reports the hardware power brake (flags ${hex(flags)})${at}: check its power supply and cabling.`,
    evidence: { ...scoreEvidence(view), throttle_flags: flags, throttle_mask: m, power_w: power },
  };
}

/** check_power_supply's verdict alone (no allocation): its state, null when it returns null. */
export function checkPowerSupplyState(view: DeviceView, o: AdvisoryOptions): Band | null {
  return throttleBand(num(view.snapshot?.throttle_flags), o.rules.check_power_supply.throttle_mask);
}

/** check_power_supply's severity and delta (none). */
export function checkPowerSupplyGist(view: DeviceView, o: AdvisoryOptions): FindingGist {
  return lookGist(escalate('warning', view, o));
}
