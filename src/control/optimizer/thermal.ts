// Fan control to target temperatures (core, memory junction, hottest chip) with hysteresis, and the
// power-limit fallback when the fan cannot cool more; fed smoothed readings from the device snapshots.

import type { Snapshot } from '../../core/snapshot.ts';
import type { SetpointProposal, StrategyView } from '../autotune/index.ts';
import type { ThermalOptions } from './options.ts';

/** The sensors the thermal controller holds at targets. */
export const THERMAL_SENSORS = ['temp_core_c', 'temp_mem_c', 'temp_chip_max_c'] as const;
export type ThermalSensor = (typeof THERMAL_SENSORS)[number];

/** The readings of one snapshot the controller uses (°C, %, RPM, W; null = not reported). */
export interface ThermalReading {
  readonly ts: number;
  readonly temps: Readonly<Record<ThermalSensor, number | null>>;
  readonly fanPct: number | null;
  readonly fanRpm: number | null;
  readonly powerW: number | null;
}

/** The readings of a device snapshot the thermal controller uses. */
export function readingOf(s: Snapshot): ThermalReading {
  return {
    ts: s.ts,
    temps: { temp_core_c: s.temp_core_c, temp_mem_c: s.temp_mem_c, temp_chip_max_c: s.temp_chip_max_c },
    fanPct: s.fan_pct,
    fanRpm: s.fan_rpm,
    powerW: s.power_w,
  };
}

/** Smoothed state of one device, updated by {@link ThermalTracker.add}. */
export interface ThermalState {
  readonly lastMs: number;
  /** Exponentially smoothed temperatures, °C. */
  readonly temps: Readonly<Record<ThermalSensor, number | null>>;
  /** Latest fan duty (%) and tachometer (RPM), and smoothed power draw (W). */
  readonly fanPct: number | null;
  readonly fanRpm: number | null;
  readonly powerW: number | null;
  /** Since when every controlled sensor is at or below its target (epoch ms); null while one is above. */
  readonly coolSinceMs: number | null;
}

/** A fan under this duty with a tachometer at 0 RPM is not stalled, just off. */
const STALL_MIN_PCT = 20;

function smooth(prev: number | null, x: number | null, alpha: number): number | null {
  if (x === null || !Number.isFinite(x)) return prev;
  return prev === null ? x : prev + alpha * (x - prev);
}

/** Per-device smoothed readings (exponential, time constant `smoothing_ms`). Pure state, no I/O. */
export class ThermalTracker {
  readonly #o: ThermalOptions;
  readonly #state = new Map<string, ThermalState>();

  constructor(options: ThermalOptions) {
    this.#o = options;
  }

  /** Adds a reading of `device` (a key the caller makes unique per rig); older or equal times are ignored. */
  add(device: string, r: ThermalReading): void {
    const prev = this.#state.get(device);
    if (prev !== undefined && r.ts <= prev.lastMs) return;
    const dt = prev === undefined ? 0 : r.ts - prev.lastMs;
    const tau = this.#o.smoothing_ms;
    const alpha = prev === undefined || tau === 0 ? 1 : 1 - Math.exp(-dt / tau);
    const temps = {} as Record<ThermalSensor, number | null>;
    for (const k of THERMAL_SENSORS) temps[k] = smooth(prev?.temps[k] ?? null, r.temps[k], alpha);
    const next = {
      lastMs: r.ts,
      temps,
      fanPct: r.fanPct,
      fanRpm: r.fanRpm,
      powerW: smooth(prev?.powerW ?? null, r.powerW, alpha),
      coolSinceMs: null as number | null,
    };
    const e = excessOf(next, this.#o);
    next.coolSinceMs = e !== null && e <= 0 ? (prev?.coolSinceMs ?? r.ts) : null;
    this.#state.set(device, next);
  }

  get(device: string): ThermalState | undefined {
    return this.#state.get(device);
  }
}

/** The largest smoothed excess over a target (°C; negative = every sensor below), null without readings. */
export function excessOf(s: ThermalState, o: ThermalOptions): number | null {
  let worst: number | null = null;
  for (const k of THERMAL_SENSORS) {
    const target = o.targets_c[k];
    const t = s.temps[k];
    if (target === null || t === null) continue;
    worst = Math.max(worst ?? Number.NEGATIVE_INFINITY, t - target);
  }
  return worst;
}

/** The fan cannot cool more: absent (fanless card), at or above the saturation duty, or stalled. */
export function fanSaturated(s: ThermalState, o: ThermalOptions, fanMaxPct = 100): boolean {
  if (s.fanPct === null) return true;
  if (s.fanPct >= Math.min(o.fan_saturated_pct, fanMaxPct)) return true;
  return s.fanPct >= STALL_MIN_PCT && s.fanRpm !== null && s.fanRpm <= 0;
}

/** The device is above a target by more than the band. */
export function isHot(s: ThermalState | undefined, o: ThermalOptions): boolean {
  const e = s === undefined ? null : excessOf(s, o);
  return e !== null && e > o.band_c;
}

/**
 * Next fan duty: up in proportion to the excess when hot (bounded by the rails' steps), down by one
 * step when the fan runs a fixed duty (not automatic: `view.atDefault` false) and every sensor is
 * `lower_band_c` below its target; otherwise null (the band between is the hysteresis).
 */
export function proposeFan(
  view: StrategyView,
  s: ThermalState | undefined,
  o: ThermalOptions,
): SetpointProposal | null {
  if (s === undefined) return null;
  const e = excessOf(s, o);
  if (e === null) return null;
  const cur = view.current;
  if (e > o.band_c) {
    if (cur >= view.bounds.max) return null;
    const up = Math.min(view.maxStep, Math.max(view.minStep, Math.round(o.gain_pct_per_c * e)));
    const value = Math.min(view.bounds.max, cur + up);
    return { value, reason: `hold temperatures: ${e.toFixed(1)} °C over target, fan ${cur} → ${value} %` };
  }
  if (e < -o.lower_band_c && !view.atDefault && cur > view.bounds.min) {
    const value = Math.max(view.bounds.min, cur - view.minStep);
    return { value, reason: `${(-e).toFixed(1)} °C under every target: fan ${cur} → ${value} %` };
  }
  return null;
}

/** Power-limit cut when hot and the fan cannot help: `fallback_step_frac` of the limit, at least the min step. */
export function proposeFallback(
  view: StrategyView,
  s: ThermalState | undefined,
  o: ThermalOptions,
  fanMaxPct?: number,
): SetpointProposal | null {
  if (s === undefined || !isHot(s, o) || !fanSaturated(s, o, fanMaxPct)) return null;
  const cut = Math.max(view.minStep, Math.round(o.fallback_step_frac * view.current));
  const value = Math.max(view.bounds.min, view.current - cut);
  if (view.current - value < view.minStep) return null;
  const e = excessOf(s, o) ?? 0;
  return {
    value,
    reason: `thermal fallback: ${e.toFixed(1)} °C over target with the fan at its limit, power ${view.current} → ${value}`,
  };
}
