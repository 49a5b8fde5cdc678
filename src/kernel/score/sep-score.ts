// rigtune's sep_score (0-100, no floor): a weighted mean of per-component "goodness" values from the
// health stream's structure, the change-point posterior and the KPIs, renormalised over present inputs.

import { RigtuneError } from '../../core/errors.ts';

/**
 * Inputs of one tick. Structure fields are the QFH metrics of the composite health stream (polarity
 * 1 = unhealthy); KPI fields have the names and units of `Kpis`, so a `Kpis` object can be spread in.
 * Null or non-finite = missing: the component is left out and the weights renormalised.
 */
export interface SepScoreInput {
  /** Coherence C, [0, 1]; good. */
  readonly coherence: number | null;
  /** Entropy H, [0, 1]; bad. */
  readonly entropy: number | null;
  /** Rupture ratio R of the unhealthy stream, [0, 1] (sustained unhealthiness); bad. */
  readonly rupture: number | null;
  /** Posterior change probability p from the change-point detector, [0, 1]; bad. */
  readonly change_prob: number | null;
  /** Normalised efficiency, [0, 1], 0.5 = at the recent median; good up to the median. */
  readonly eff_norm: number | null;
  /** Scale-free stability index, [0, 1]; good. */
  readonly stability_index: number | null;
  /** Thermal headroom, °C (negative = over the limit); good, saturating. */
  readonly thermal_headroom_c: number | null;
  /** Remaining latency budget, ms; good, saturating. */
  readonly latency_budget_ms: number | null;
  /** Reject rate, [0, 1]; bad, saturating. */
  readonly reject_rate: number | null;
  /** hashrate / expected; below 1 is bad, above 1 earns nothing extra. */
  readonly hashrate_ratio: number | null;
}

/** Weight per component (non-negative; they need not sum to 1, the score divides by the present sum). */
export type SepScoreWeights = { readonly [K in keyof SepScoreInput]: number };

export interface SepScoreOptions {
  readonly weights: SepScoreWeights;
  /** Headroom at which the thermal component is fully good, °C. */
  readonly thermal_headroom_sat_c: number;
  /** Remaining latency budget at which the latency component is fully good, ms. */
  readonly latency_budget_sat_ms: number;
  /** Reject rate at which the reject component reaches 0 (0.05 = 5 %). */
  readonly reject_rate_sat: number;
  /** Hashrate shortfall (1 − ratio) at which the hashrate component reaches 0. */
  readonly hashrate_shortfall_sat: number;
}

/** Default weights: structure 0.5 (C .10, H .10, R .20, p .10), KPIs 0.5 (see README.md). */
export const DEFAULT_SEP_SCORE_WEIGHTS: SepScoreWeights = {
  coherence: 0.1,
  entropy: 0.1,
  rupture: 0.2,
  change_prob: 0.1,
  eff_norm: 0.15,
  stability_index: 0.1,
  thermal_headroom_c: 0.08,
  latency_budget_ms: 0.05,
  reject_rate: 0.07,
  hashrate_ratio: 0.05,
};

export const DEFAULT_SEP_SCORE_OPTIONS: SepScoreOptions = {
  weights: DEFAULT_SEP_SCORE_WEIGHTS,
  thermal_headroom_sat_c: 10,
  latency_budget_sat_ms: 100,
  reject_rate_sat: 0.05,
  hashrate_shortfall_sat: 0.25,
};

export interface SepScore {
  /** 0–100, higher = healthier; null only when no component is present. */
  readonly sep_score: number | null;
  /** Goodness in [0, 1] of each present component (missing ones are absent). */
  readonly components: Record<string, number>;
  /** Sum of the weights of the present components over the sum of all weights, [0, 1]. */
  readonly weight_present: number;
}

const KEYS = Object.keys(DEFAULT_SEP_SCORE_WEIGHTS) as (keyof SepScoreInput)[];

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** Goodness in [0, 1] of one component value (already known finite). */
function goodness(key: keyof SepScoreInput, x: number, o: SepScoreOptions): number {
  switch (key) {
    case 'coherence':
    case 'stability_index':
      return clamp01(x);
    case 'entropy':
    case 'rupture':
    case 'change_prob':
      return 1 - clamp01(x);
    case 'eff_norm':
      // Full credit at or above the recent median (0.5); an upward blip is not rewarded.
      return clamp01(2 * x);
    case 'thermal_headroom_c':
      return clamp01(x / o.thermal_headroom_sat_c);
    case 'latency_budget_ms':
      return clamp01(x / o.latency_budget_sat_ms);
    case 'reject_rate':
      return 1 - clamp01(x / o.reject_rate_sat);
    case 'hashrate_ratio':
      return clamp01(1 - Math.max(0, 1 - x) / o.hashrate_shortfall_sat);
  }
}

function checkOptions(o: SepScoreOptions): void {
  for (const k of KEYS) {
    const w = o.weights[k];
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new RigtuneError('RT_KERNEL_ARGUMENT', `sepScore: weight '${k}' must be a finite number >= 0`);
    }
  }
  for (const k of [
    'thermal_headroom_sat_c',
    'latency_budget_sat_ms',
    'reject_rate_sat',
    'hashrate_shortfall_sat',
  ] as const) {
    if (!(o[k] > 0) || !Number.isFinite(o[k])) {
      throw new RigtuneError('RT_KERNEL_ARGUMENT', `sepScore: '${k}' must be a finite number > 0`);
    }
  }
}

/**
 * sep_score = 100 · Σ wᵢ·gᵢ / Σ wᵢ over the present components i, gᵢ ∈ [0, 1] the goodness of each
 * (README.md lists every gᵢ). No floor: a sick rig can score 0. Non-decreasing in each good input and
 * non-increasing in each bad one while the others stay fixed.
 * @throws RigtuneError RT_KERNEL_ARGUMENT for a negative/non-finite weight or a non-positive saturation.
 */
export function sepScore(
  input: SepScoreInput,
  options: SepScoreOptions = DEFAULT_SEP_SCORE_OPTIONS,
): SepScore {
  checkOptions(options);
  const components: Record<string, number> = {};
  let weighted = 0;
  let present = 0;
  let total = 0;
  for (const k of KEYS) {
    const w = options.weights[k];
    total += w;
    const x = input[k];
    if (typeof x !== 'number' || !Number.isFinite(x)) continue;
    const g = goodness(k, x, options);
    components[k] = g;
    weighted += w * g;
    present += w;
  }
  const sep_score = present > 0 ? Math.min(100, Math.max(0, (100 * weighted) / present)) : null;
  return { sep_score, components, weight_present: total > 0 ? present / total : 0 };
}
