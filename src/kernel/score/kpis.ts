// rigtune's live KPIs with explicit units: efficiency, reject rate, thermal headroom, latency budget,
// a scale-free stability index, normalised efficiency and hashrate ratio. Null when inputs are missing.

import { finiteValues, mean, median, sampleVariance } from '../stats/summary.ts';
import { type RejectBasis, rejectRate, type ShareDeltas } from './reject-rate.ts';

/** Thermal limits per sensor, °C; null = no limit for that sensor (it is then ignored). */
export interface ThermalLimits {
  readonly core_c: number | null;
  readonly mem_c: number | null;
  readonly chip_c: number | null;
}

/** Typical GPU limits: core 83 °C (NVIDIA's default slowdown target), memory junction 95 °C. */
export const GPU_THERMAL_LIMITS_C: ThermalLimits = { core_c: 83, mem_c: 95, chip_c: null };
/** Typical ASIC limit: hottest chip 90 °C. */
export const ASIC_THERMAL_LIMITS_C: ThermalLimits = { core_c: null, mem_c: null, chip_c: 90 };

/**
 * What {@link computeKpis} needs for one device at one tick. Every number may be null (not measured);
 * non-finite numbers count as null. Arrays are the trailing window, oldest first, INCLUDING the
 * current sample; null entries are skipped.
 */
export interface KpiInput {
  /** Current hashrate, H/s (e.g. hashrate_1m or its EMA). */
  readonly hashrate_hs: number | null;
  /** Expected (nominal) hashrate, H/s. */
  readonly hashrate_expected_hs: number | null;
  /** Current power draw, W. */
  readonly power_w: number | null;
  readonly temp_core_c: number | null;
  readonly temp_mem_c: number | null;
  readonly temp_chip_max_c: number | null;
  /** Device's own temperature target, °C; when set it replaces the core and chip limits. */
  readonly temp_target_c: number | null;
  readonly stratum_latency_ms: number | null;
  /** Recent hashrates, H/s, for the stability index. */
  readonly recent_hashrates_hs: readonly (number | null)[];
  /** Recent efficiencies, H/J, for eff_norm. */
  readonly recent_efficiencies_h_per_j: readonly (number | null)[];
  /** Share/difficulty counter deltas over the trailing window; null when unknown. */
  readonly share_deltas: ShareDeltas | null;
}

/** Settings of {@link computeKpis}; per-device config may override any of them. */
export interface KpiOptions {
  /** Limits used when the device reports no temp_target_c (mem always uses its own). */
  readonly thermal_limits_c: ThermalLimits;
  /** Latency budget, ms (V3: 200). */
  readonly latency_budget_ms: number;
  /** Fewest finite window values for stability_index and eff_norm (else null). */
  readonly min_window_n: number;
  /** MAD floor for eff_norm as a fraction of |median| (0.005 = 0.5 %). */
  readonly mad_floor_rel: number;
}

export const DEFAULT_KPI_OPTIONS: KpiOptions = {
  thermal_limits_c: GPU_THERMAL_LIMITS_C,
  latency_budget_ms: 200,
  min_window_n: 5,
  mad_floor_rel: 0.005,
};

/** Which sensor set the thermal headroom (the one closest to its limit). */
export type ThermalSensor = 'core' | 'mem' | 'chip';

/** KPIs of one tick. Null = its inputs were missing; never NaN. */
export interface Kpis {
  /** Hashrate / power, H/J (= H/s per W). */
  readonly efficiency_h_per_j: number | null;
  /** Power / hashrate, J/TH (null at zero hashrate). */
  readonly efficiency_j_per_th: number | null;
  /** Reject rate from counter deltas, [0, 1] (see rejectRate). */
  readonly reject_rate: number | null;
  readonly reject_basis: RejectBasis | null;
  /** Shares the reject rate rests on, and how many were rejected or stale (for wilsonInterval). */
  readonly shares_in_window: number | null;
  readonly bad_shares_in_window: number | null;
  /** min over sensors of (limit − temperature), °C; negative when over a limit. */
  readonly thermal_headroom_c: number | null;
  readonly thermal_sensor: ThermalSensor | null;
  /** max(0, budget − stratum_latency_ms), ms. */
  readonly latency_budget_ms: number | null;
  /** 1 / (1 + CV²) of the recent hashrates, CV = sample std / mean; (0, 1], 1 = perfectly steady. */
  readonly stability_index: number | null;
  /** 0.5 + z/8 with z = clamp((eff − median) / (3·max(MAD, mad_floor_rel·|median|)), ±4); [0, 1]. */
  readonly eff_norm: number | null;
  /** hashrate / hashrate_expected (1 = nominal). */
  readonly hashrate_ratio: number | null;
}

function num(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Outputs that overflowed (absurd inputs such as 1e308 W) become null rather than ±Infinity. */
function finite(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}

/** Tightest thermal headroom over the sensors that have both a reading and a limit. */
export function thermalHeadroom(
  input: Pick<KpiInput, 'temp_core_c' | 'temp_mem_c' | 'temp_chip_max_c' | 'temp_target_c'>,
  limits: ThermalLimits,
): { headroom_c: number | null; sensor: ThermalSensor | null } {
  const target = num(input.temp_target_c);
  const pairs: [ThermalSensor, number | null, number | null][] = [
    ['core', num(input.temp_core_c), target ?? num(limits.core_c)],
    ['mem', num(input.temp_mem_c), num(limits.mem_c)],
    ['chip', num(input.temp_chip_max_c), target ?? num(limits.chip_c)],
  ];
  let best: number | null = null;
  let sensor: ThermalSensor | null = null;
  for (const [name, temp, limit] of pairs) {
    if (temp === null || limit === null) continue;
    const headroom = limit - temp;
    if (!Number.isFinite(headroom)) continue;
    if (best === null || headroom < best) {
      best = headroom;
      sensor = name;
    }
  }
  return { headroom_c: best, sensor };
}

/** 1 / (1 + CV²) of `values` (finite entries only); null below `minN` values or when the mean ≤ 0. */
export function stabilityIndex(values: readonly (number | null)[], minN: number): number | null {
  const xs = finiteValues(values);
  if (xs.length < Math.max(2, minN)) return null;
  const m = mean(xs);
  if (m === null || !(m > 0) || !Number.isFinite(m)) return null;
  // CV² as the variance of the values scaled by their mean: no H/s² overflow for large hashrates.
  const cv2 = sampleVariance(xs.map((x) => x / m));
  if (cv2 === null || !Number.isFinite(cv2)) return null;
  return 1 / (1 + cv2);
}

/** Robust normalised value in [0, 1] (0.5 = at the window median); null below `minN` or at zero scale. */
export function effNorm(
  value: number | null,
  history: readonly (number | null)[],
  minN: number,
  madFloorRel: number,
): number | null {
  const v = num(value);
  const xs = finiteValues(history);
  if (v === null || xs.length < Math.max(1, minN)) return null;
  const med = median(xs)!;
  const mad = median(xs.map((x) => Math.abs(x - med)))!;
  const scale = 3 * Math.max(mad, madFloorRel * Math.abs(med));
  if (!(scale > 0)) return null;
  const z = Math.max(-4, Math.min(4, (v - med) / scale));
  return Number.isNaN(z) ? null : 0.5 + z / 8;
}

/** All KPIs for one tick; see {@link Kpis} for units and null meaning. */
export function computeKpis(input: KpiInput, options: KpiOptions = DEFAULT_KPI_OPTIONS): Kpis {
  const hashrate = num(input.hashrate_hs);
  const power = num(input.power_w);
  const expected = num(input.hashrate_expected_hs);
  const latency = num(input.stratum_latency_ms);
  // A negative hashrate or power is a broken reading: no efficiency or ratio from it.
  const hashOk = hashrate !== null && hashrate >= 0;
  const efficiency = finite(hashOk && power !== null && power > 0 ? hashrate / power : null);
  const thermal = thermalHeadroom(input, options.thermal_limits_c);
  const reject = rejectRate(input.share_deltas);
  return {
    efficiency_h_per_j: efficiency,
    efficiency_j_per_th: finite(
      hashOk && hashrate > 0 && power !== null && power >= 0 ? power / (hashrate / 1e12) : null,
    ),
    reject_rate: reject.reject_rate,
    reject_basis: reject.reject_basis,
    shares_in_window: reject.shares_in_window,
    bad_shares_in_window: reject.bad_shares_in_window,
    thermal_headroom_c: thermal.headroom_c,
    thermal_sensor: thermal.sensor,
    latency_budget_ms: finite(latency !== null ? Math.max(0, options.latency_budget_ms - latency) : null),
    stability_index: stabilityIndex(input.recent_hashrates_hs, options.min_window_n),
    eff_norm: effNorm(
      efficiency,
      input.recent_efficiencies_h_per_j,
      options.min_window_n,
      options.mad_floor_rel,
    ),
    hashrate_ratio: finite(hashOk && expected !== null && expected > 0 ? hashrate / expected : null),
  };
}
