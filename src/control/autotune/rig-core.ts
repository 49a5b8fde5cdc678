// The state one rig's controller shares between its parts (planner, watcher, recovery): options,
// dependencies, devices, the rig's action times, and the settings derived for the gate and validation.

import type { SetpointKind, SetpointLimits } from '../../core/actuator.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import type { DeviceState } from './device-state.ts';
import type { GateLimits } from './gate.ts';
import type { ActionEnv } from './lifecycle.ts';
import type { AutotuneOptions } from './options.ts';
import type { AutotuneMode, KillSwitch, SetpointStrategy } from './ports.ts';
import type { ValidationSettings } from './validate.ts';

export interface RigCore {
  readonly rig: string;
  /** Replaced by `RigAutotune.setOptions` (a reload); passes read it afresh. */
  o: AutotuneOptions;
  env: ActionEnv;
  /** Replaced by `RigAutotune.setStrategy` (a reload of the optimizer's options). */
  strategy: SetpointStrategy;
  readonly killSwitch: KillSwitch;
  readonly devices: Map<string, DeviceState>;
  mode: AutotuneMode;
  /** Start times of the rig's tune and manual actions in the last hour (epoch ms). */
  actionTimesMs: number[];
  journalBroken: boolean;
  /** Advice already given: key → until when it is not repeated (epoch ms). */
  readonly advised: Map<string, number>;
  /** Devices rigtune changed (this run or, per the journal, an earlier one): restored on shutdown. */
  readonly touched: Set<string>;
}

/** Gate settings for one set-point. */
export function gateLimits(o: AutotuneOptions, kind: SetpointKind): GateLimits {
  return {
    maxStep: o.max_step[kind],
    minStep: o.min_step[kind],
    minIntervalMs: o.min_interval_ms,
    maxActionsPerHour: o.max_actions_per_hour,
    maxConcurrent: o.max_concurrent_actions,
    staleMs: o.stale_ms,
  };
}

export function validationSettings(o: AutotuneOptions): ValidationSettings {
  return {
    minBlocks: o.min_blocks,
    confidence: o.confidence,
    efficiencyMargin: o.efficiency_margin,
    rejectAlpha: o.reject_alpha,
    hwErrorAlpha: o.hw_error_alpha,
    tempLimitsC: o.temp_limits_c,
    coolingTempMarginC: o.cooling_temp_margin_c,
    hardTempMarginC: o.hard_temp_margin_c,
  };
}

/**
 * A baseline is ready once it holds at least `min_blocks` blocks and covers three quarters of the
 * baseline window (after a write, the window restarts at the end of its settle time).
 */
export function isBaselineReady(o: AutotuneOptions, blocks: number): boolean {
  return blocks >= Math.max(o.min_blocks, Math.floor((0.75 * o.baseline_ms) / o.block_ms));
}

/** Devices with an action under validation. */
export function validatingCount(core: RigCore): number {
  let n = 0;
  for (const d of core.devices.values()) if (d.watch !== null || d.applying) n++;
  return n;
}

/** Drops action times older than an hour. */
export function pruneActionTimes(core: RigCore, nowMs: number): void {
  core.actionTimesMs = core.actionTimesMs.filter((t) => t > nowMs - 3_600_000);
}

/**
 * The numeric value a set-point stands at, for step arithmetic: the value itself; for null (default,
 * automatic, unlocked) the device default, else the top of the range for clock locks, else the fan
 * reading of the latest snapshot. Null when none is known (no action then).
 */
export function referenceValue(
  kind: SetpointKind,
  value: number | null,
  limits: SetpointLimits,
  snapshot: Snapshot | null,
): number | null {
  if (value !== null) return value;
  if (limits.default !== undefined && limits.default !== null) return limits.default;
  if (kind === 'clock_core_max_mhz' || kind === 'clock_mem_max_mhz') return limits.max;
  if (kind === 'fan_pct') return snapshot?.fan_pct ?? null;
  if (kind === 'profile_step') return 0;
  return null;
}

/** The value is the device's own setting: null (default, automatic, unlocked) or its stated default. */
export function isDefaultValue(value: number | null, limits: SetpointLimits): boolean {
  if (value === null) return true;
  const d = limits.default;
  return d !== undefined && d !== null && Math.abs(value - d) <= Math.max(1e-9, (limits.step ?? 0) / 2);
}
