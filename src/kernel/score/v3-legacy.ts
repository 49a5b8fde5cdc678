// LEGACY REFERENCE, NOT USED LIVE: the earlier V3 Python pipeline's KPIs, sep_score and rupture flag,
// reproduced number for number (sep-reference.md §5.3) so docs can show how rigtune's scoring differs.

import { finiteValues, median, sampleVariance } from '../stats/summary.ts';
import type { RuptureClass } from './rupture-class.ts';

// Everything here keeps V3's known bugs on purpose (floor of 50, stability_index on raw H/s variance,
// 1 = healthy polarity upstream, reject rate from cumulative counters). Do not call it from live code.

/** The snapshot fields V3's scorer reads (V3 names and units: H/s, W, °C, ms, cumulative share counts). */
export interface V3Snapshot {
  readonly hashrate_5s: number;
  readonly hashrate_1m: number;
  readonly accepted_shares: number;
  readonly rejected_shares: number;
  readonly stale_shares: number;
  readonly power_w: number;
  readonly temp_core_c: number;
  readonly stratum_latency_ms: number;
}

/** QFH metrics of the V3 composite window (V3 sets stability = 1 − R and lambda_hazard = R). */
export interface V3Metrics {
  readonly coherence: number;
  readonly stability: number;
  readonly entropy: number;
  readonly rupture: number;
  readonly lambda_hazard: number;
}

/** V3 KPIs, in V3's units. */
export interface V3Kpis {
  /** GH/J (hashrate_1m / 1e9 / max(power_w, 1e-6)). */
  readonly efficiency: number;
  /** rejected / (accepted + rejected + stale) of the cumulative counters; stale not in the numerator. */
  readonly reject_rate: number;
  /** max(0, temp_throttle_c − temp_core_c), °C. */
  readonly thermal_headroom: number;
  /** 1 / (1 + sample variance of hashrate_5s in H/s²): ≈ 1e-17 in practice (the units bug). */
  readonly stability_index: number;
  /** max(0, 200 − stratum_latency_ms), ms. */
  readonly latency_budget_ms: number;
  /** 0.5 + z/8, z = clamp((eff − median)/(3·MAD), ±4) over the window (MAD 0 → 1e-6). */
  readonly eff_norm: number;
}

/** One V3 score: metrics, KPIs, floored sep_score and rupture flag. */
export interface V3Score {
  readonly metrics: V3Metrics;
  readonly kpis: V3Kpis;
  readonly sep_score: number;
  readonly rupture_flag: RuptureClass;
}

/** V3 encoder lookback: the scorer looks at the last 32 snapshots. */
export const V3_LOOKBACK = 32;
/** V3 scores nothing until the window holds max(8, lookback / 2) = 16 snapshots. */
export const V3_MIN_WINDOW = 16;
/** V3's `sep_score_floor`: the score never goes below 50. */
export const V3_SEP_SCORE_FLOOR = 50;

/** V3 efficiency, GH/J. */
export function v3Efficiency(s: V3Snapshot): number {
  return s.hashrate_1m / 1e9 / Math.max(s.power_w, 1e-6);
}

/** V3 reject rate from cumulative counters; 0 when there are no shares at all. */
export function v3RejectRate(s: V3Snapshot): number {
  const accepted = Math.max(s.accepted_shares, 0);
  const rejected = Math.max(s.rejected_shares, 0);
  const stale = Math.max(s.stale_shares, 0);
  const total = accepted + rejected + stale;
  return total <= 0 ? 0 : rejected / total;
}

/** V3 `_normalise`: robust z of `value` against `history`, mapped to 0.5 + z/8 (0.5 when empty). */
export function v3EffNorm(value: number, history: readonly number[]): number {
  const samples = finiteValues(history);
  const med = median(samples);
  if (med === null) return 0.5;
  // Python's `or 1e-6`: a MAD of exactly 0 becomes 1e-6 (an absolute floor, whatever the scale).
  const mad = median(samples.map((v) => Math.abs(v - med))) || 1e-6;
  const z = Math.max(-4, Math.min(4, (value - med) / (3 * mad)));
  return 0.5 + z / 8.0;
}

/**
 * V3 KPIs for the newest snapshot of `window` (oldest first). The window used for eff_norm and
 * stability_index is its last {@link V3_LOOKBACK} snapshots, as V3's encoder hands them out.
 * @param tempThrottleC the rig's `temp_throttle_c`, °C (V3 default 90; the vectors use 84).
 */
export function v3Kpis(window: readonly V3Snapshot[], tempThrottleC: number): V3Kpis {
  const current = window[window.length - 1];
  const recent = window.slice(-V3_LOOKBACK);
  const efficiency = v3Efficiency(current);
  const variance = sampleVariance(recent.map((s) => s.hashrate_5s)) ?? 0;
  return {
    efficiency,
    reject_rate: v3RejectRate(current),
    thermal_headroom: Math.max(0, tempThrottleC - current.temp_core_c),
    stability_index: 1.0 / (1.0 + Math.max(variance, 0)),
    latency_budget_ms: Math.max(0, 200 - current.stratum_latency_ms),
    eff_norm: v3EffNorm(efficiency, recent.map(v3Efficiency)),
  };
}

/**
 * V3 `_combine_sep_score`: clamp(100·max(0, 0.35C + 0.25S + 0.15·eff_norm + 0.10·stability_index +
 * 0.08·min(1, headroom/20) + 0.07·min(1, budget/200) − 0.20H − 0.20R), floor, 100). Summed in V3's order.
 */
export function v3SepScore(m: V3Metrics, k: V3Kpis, floor = V3_SEP_SCORE_FLOOR): number {
  const thermalTerm = Math.min(1.0, k.thermal_headroom / 20.0);
  const latencyTerm = Math.min(1.0, k.latency_budget_ms / 200.0);
  const base =
    0.35 * m.coherence +
    0.25 * m.stability +
    0.15 * k.eff_norm +
    0.1 * k.stability_index +
    0.08 * thermalTerm +
    0.07 * latencyTerm -
    0.2 * m.entropy -
    0.2 * m.rupture;
  const score = 100.0 * Math.max(0.0, base);
  return Math.max(floor, Math.min(100.0, score));
}

/** V3 `_classify_rupture` (λ = R in V3): macro λ ≥ .75 or R ≥ .6; meso λ ≥ .5 or R ≥ .4; micro λ ≥ .3 or R ≥ .2. */
export function v3RuptureFlag(lambdaHazard: number, rupture: number): RuptureClass {
  if (lambdaHazard >= 0.75 || rupture >= 0.6) return 'macro';
  if (lambdaHazard >= 0.5 || rupture >= 0.4) return 'meso';
  if (lambdaHazard >= 0.3 || rupture >= 0.2) return 'micro';
  return 'none';
}

/**
 * V3 `score_window` given the window's QFH metrics (computed elsewhere): null while the window holds
 * fewer than {@link V3_MIN_WINDOW} snapshots, as V3.
 */
export function scoreV3Window(
  window: readonly V3Snapshot[],
  metrics: V3Metrics,
  tempThrottleC: number,
): V3Score | null {
  if (window.length < V3_MIN_WINDOW) return null;
  const kpis = v3Kpis(window, tempThrottleC);
  return {
    metrics,
    kpis,
    sep_score: v3SepScore(metrics, kpis),
    rupture_flag: v3RuptureFlag(metrics.lambda_hazard, metrics.rupture),
  };
}
