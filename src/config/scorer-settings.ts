// Turns thresholds from the file into the scorer's settings: rigtune's defaults, then `defaults:`,
// then the rig's own `thresholds:`, checked together (micro ≤ meso ≤ macro) and renamed to camelCase.

import { checkAdvisoryOptions, DEFAULT_ADVISORY_OPTIONS } from '../control/advisory/options.ts';
import type { GaugeField } from '../core/snapshot.ts';
import type { ThresholdsInput, ThresholdValues } from './thresholds.ts';
import type { KeyPath } from './yaml-source.ts';

/**
 * rigtune's built-in thresholds: the kernel and pipeline defaults (DEFAULT_SCORER_OPTIONS,
 * DEFAULT_HEALTH_OPTIONS, …), repeated here because config may not import them;
 * test/integration/config-defaults.test.ts keeps the two equal.
 */
export const DEFAULT_THRESHOLDS: ThresholdValues = {
  window_bits: 31,
  min_samples: 16,
  share_window: 300,
  kpi_window: 32,
  baseline_tau_s: 60,
  channels: 'auto',
  merge_samples: 5,
  channel_detail: false,
  health: {
    eff_drop_frac: 0.03,
    hashrate_drop_frac: 0.05,
    thermal_margin_c: 2,
    latency_rise_frac: 0.5,
    latency_floor_ms: 120,
    power_jump_w: 15,
    power_jump_frac: 0.07,
    reject_step_frac: 0.02,
    throttle_mask: 0xe8,
  },
  kpi: {
    thermal_limits_c: { core_c: 83, mem_c: 95, chip_c: null },
    latency_budget_ms: 200,
    min_window_n: 5,
    mad_floor_rel: 0.005,
  },
  sep_score: {
    weights: {
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
    },
    thermal_headroom_sat_c: 10,
    latency_budget_sat_ms: 100,
    reject_rate_sat: 0.05,
    hashrate_shortfall_sat: 0.25,
  },
  rupture: { micro: 0.2, meso: 0.4, macro: 0.6, change_prob: 0.5, collapse_rupture: 0.5 },
  changepoint: {
    hazard: 0.003,
    level_prior: 30,
    variance_shape: 8,
    outlier_prob: 0.03,
    outlier_scale: 30,
    skip_repeats: true,
    max_hold: 10,
    rebase_scale: true,
    scale_window: 100,
    min_relative_scale: 1e-3,
    warmup: 5,
    threshold: 0.9,
    start_tolerance: 2,
    min_run: 3,
    min_segment: 5,
    change_window: 5,
    max_runs: 8,
    prune_below: 1e-4,
  },
  reject_rise: {
    hazard: 1e-5,
    threshold: 0.9,
    rises: [0.1, 0.2, 0.4],
    prior_rate: 0.02,
    prior_shares: 20,
    memory_shares: 1000,
    baseline_lag: 30,
    min_baseline_rate: 0.002,
    warmup_shares: 20,
    min_bad_shares: 4,
    refractory_samples: 60,
    rebase_shares: 50,
  },
  advisory: DEFAULT_ADVISORY_OPTIONS,
};

type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type Camelized<T> = { readonly [K in keyof T as Camel<K & string>]: T[K] };

/** Health-rule thresholds, shaped like the kernel's HealthOptions. */
export type HealthSettings = Camelized<ThresholdValues['health']>;
/** Change-detector settings, shaped like the kernel's ChangePointOptions (its segment models aside). */
export type ChangepointSettings = Camelized<ThresholdValues['changepoint']>;
/** Reject-rise detector settings, shaped like the kernel's RejectRiseOptions. */
export type RejectRiseSettings = Camelized<ThresholdValues['reject_rise']>;

/**
 * Effective scorer settings of a rig, shaped like the pipeline's ScorerOptions: its own keys and
 * health/changepoint in camelCase, kpi, sepScore and rupture in the kernel's snake_case.
 */
export interface ScorerSettings {
  readonly windowBits: number;
  readonly minSamples: number;
  readonly shareWindow: number;
  readonly kpiWindow: number;
  readonly baselineTauS: number;
  readonly channels: 'auto' | readonly (GaugeField | 'efficiency_h_per_j' | 'reject_rate')[];
  readonly mergeSamples: number;
  readonly channelDetail: boolean;
  readonly health: HealthSettings;
  readonly kpi: ThresholdValues['kpi'];
  readonly sepScore: ThresholdValues['sep_score'];
  readonly rupture: ThresholdValues['rupture'];
  readonly changepoint: ChangepointSettings;
  readonly rejectRise: RejectRiseSettings;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Deep merge: objects merge key by key, anything else (lists, null) replaces; undefined is skipped. */
export function mergeThresholds(
  base: ThresholdValues,
  ...layers: (ThresholdsInput | undefined)[]
): ThresholdValues {
  const merge = (a: unknown, b: unknown): unknown => {
    if (b === undefined) return a;
    if (!isPlainObject(a) || !isPlainObject(b)) return b;
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
    return out;
  };
  let result: unknown = base;
  for (const layer of layers) result = merge(result, layer);
  return result as ThresholdValues;
}

/** `eff_drop_frac` → `effDropFrac`. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function camelKeys<T extends object>(o: T): Camelized<T> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [camelCase(k), v])) as Camelized<T>;
}

/** The scorer's settings (camelCase where the pipeline uses it) from merged threshold values. */
export function toScorerSettings(v: ThresholdValues): ScorerSettings {
  return {
    windowBits: v.window_bits,
    minSamples: v.min_samples,
    shareWindow: v.share_window,
    kpiWindow: v.kpi_window,
    baselineTauS: v.baseline_tau_s,
    channels: v.channels,
    mergeSamples: v.merge_samples,
    channelDetail: v.channel_detail,
    health: camelKeys(v.health),
    kpi: v.kpi,
    sepScore: v.sep_score,
    rupture: v.rupture,
    changepoint: camelKeys(v.changepoint),
    rejectRise: camelKeys(v.reject_rise),
  };
}

/** A rule between thresholds that fails; `paths` (relative to a thresholds section) are its keys, culprit first. */
export interface ThresholdProblem {
  readonly paths: readonly KeyPath[];
  readonly message: string;
}

/** Rules between thresholds, checked on the merged values (a rig may override only one of them). */
export function checkThresholds(v: ThresholdValues): ThresholdProblem[] {
  const problems: ThresholdProblem[] = [];
  const r = v.rupture;
  if (r.meso < r.micro)
    problems.push({
      paths: [
        ['rupture', 'meso'],
        ['rupture', 'micro'],
      ],
      message: `expected rupture.micro ≤ rupture.meso, got micro ${r.micro} and meso ${r.meso}`,
    });
  if (r.macro < r.meso)
    problems.push({
      paths: [
        ['rupture', 'macro'],
        ['rupture', 'meso'],
      ],
      message: `expected rupture.meso ≤ rupture.macro, got meso ${r.meso} and macro ${r.macro}`,
    });
  if (Object.values(v.sep_score.weights).reduce((a, b) => a + b, 0) <= 0)
    problems.push({ paths: [['sep_score', 'weights']], message: 'expected at least one weight above 0' });
  for (const p of checkAdvisoryOptions(v.advisory))
    problems.push({ paths: p.paths.map((path) => ['advisory', ...path]), message: p.message });
  if (v.min_samples > v.window_bits + 1)
    problems.push({
      paths: [['min_samples'], ['window_bits']],
      message: `expected min_samples ≤ window_bits + 1, got min_samples ${v.min_samples} and window_bits ${v.window_bits}`,
    });
  return problems;
}

/** True when `path` (relative to a thresholds section) is set in `section`. */
export function hasThreshold(section: ThresholdsInput | undefined, path: KeyPath): boolean {
  let node: unknown = section;
  for (const seg of path) {
    if (!isPlainObject(node) || node[seg] === undefined) return false;
    node = node[seg];
  }
  return true;
}
