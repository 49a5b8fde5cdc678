// The A-B-A study contract: sample rows and phase markers going in, the JSON-able StudyResult coming
// out. `study run` writes the markers, `study analyze` loads rows + markers and renders the result.

/** Phases a marker can open; `end` closes the device's last phase. */
export const ABA_MARKER_PHASES = ['A1', 'B', 'A2', 'end'] as const;
export type AbaMarkerPhase = (typeof ABA_MARKER_PHASES)[number];

/** Phases that are analysed, in study order: baseline, treatment, washout back to baseline. */
export const ABA_PHASES = ['A1', 'B', 'A2'] as const;
export type AbaPhase = (typeof ABA_PHASES)[number];

/** A set-point as the actuator contract names it (core/actuator.ts SetpointKind); value null = device default. */
export interface AbaSetpoint {
  readonly kind: string;
  /** In the set-point's unit (W for power_limit_w, MHz for clocks…); null = the device default. */
  readonly value: number | null;
}

/**
 * A phase marker (one per device per phase start; the `aba_markers` records). A phase runs from its
 * marker to the device's next marker (a repeated marker of the same phase, e.g. after a resumed run,
 * continues it); without an `end` marker the last phase runs to the device's last sample.
 */
export interface AbaMarker {
  /** When the phase began (the set-point write), epoch ms. */
  readonly ts_ms: number;
  readonly study_id: string;
  readonly rig: string;
  readonly device: string;
  readonly phase: AbaMarkerPhase;
  /** What B changes, in words (e.g. `power_limit_w 350 → 250`, `autotune on`); same on every marker. */
  readonly treatment: string;
  /** The set-point applied at this marker; null for `end` or when the treatment is not a set-point. */
  readonly setpoint: AbaSetpoint | null;
}

/**
 * Snapshot columns the analysis reads (Parquet `snapshots` dataset names, core/snapshot.ts). Loaders
 * select `ts` (epoch ms), `rig`, `device` and these; a missing column may be left out of the row.
 */
export const STUDY_SAMPLE_FIELDS = [
  'hashrate_5s',
  'hashrate_1m',
  'power_w',
  'temp_core_c',
  'temp_mem_c',
  'temp_chip_max_c',
  'temp_inlet_c',
  'accepted_shares',
  'rejected_shares',
  'hw_errors',
] as const;
export type StudySampleField = (typeof STUDY_SAMPLE_FIELDS)[number];

/**
 * One device sample, a subset of core `Snapshot` (a Snapshot is a valid StudySample). Units as in the
 * names: H/s, W, °C; share and HW-error fields are raw cumulative counters (a drop = a reset).
 * Null or absent = not measured in this sample.
 */
export type StudySample = {
  /** Sample time, epoch ms (the Parquet `ts` column). */
  readonly ts: number;
  readonly rig: string;
  readonly device: string;
} & { readonly [K in StudySampleField]?: number | null };

/** Options of `analyzeStudy` (TypeScript names; the result is snake_case JSON). */
export interface AbaOptions {
  /** Seed of the bootstrap's random stream (required: the analysis is deterministic). */
  readonly seed: number;
  /** Which study of the markers to analyse; required when the markers hold several. */
  readonly studyId?: string;
  /** Two-sided confidence level of every interval (default 0.95). */
  readonly confidence?: number;
  /** Bootstrap replicates (default 2000). */
  readonly replicates?: number;
  /** Discarded start of each phase: max(settleMs, settleFraction × phase length) (defaults 60 000 ms, 0.1). */
  readonly settleMs?: number;
  readonly settleFraction?: number;
  /** Shortest analysed (after settling) phase for a verdict, ms (default 300 000). */
  readonly minPhaseMs?: number;
  /** Fewest effective (autocorrelation-adjusted) samples per phase for a verdict (default 10). */
  readonly minEffectiveN?: number;
  /** Smallest relative efficiency change that matters, % (default 1): the no-effect band is ±this. */
  readonly minEffectPct?: number;
  /** Hash-rate column; default `hashrate_5s`, falling back per device to `hashrate_1m` when 5 s is absent. */
  readonly hashrateField?: 'hashrate_5s' | 'hashrate_1m';
  /** Covariate of the drift adjustment (default `temp_inlet_c`); null turns the adjustment off. */
  readonly covariate?: StudySampleField | null;
  /** 2 adds the covariate's square to the adjustment (a curved response, e.g. fan power); default 1. */
  readonly covariateDegree?: 1 | 2;
  /** Also regress on a linear time trend (default false: A-B-A already cancels a linear drift). */
  readonly timeTrend?: boolean;
  /** Counter deltas across a gap longer than this are dropped, ms (default 5 × the median sample interval). */
  readonly maxGapMs?: number;
  /** Fixed bootstrap block length in samples; default chosen per device from the autocorrelation. */
  readonly blockLength?: number;
}

/** The metrics reported per device, in report order. */
export const ABA_METRICS = [
  'efficiency_h_per_j',
  'efficiency_j_per_th',
  'hashrate_hs',
  'power_w',
  'temp_core_c',
  'temp_mem_c',
  'temp_chip_max_c',
  'temp_inlet_c',
  'reject_rate',
  'hw_error_rate_per_h',
] as const;
export type AbaMetric = (typeof ABA_METRICS)[number];

export type Verdict = 'improved' | 'worse' | 'no_effect' | 'inconclusive';

/** A point estimate with its two-sided interval at the study's confidence; all null when not estimable. */
export interface Estimate {
  readonly value: number | null;
  readonly lo: number | null;
  readonly hi: number | null;
}

/** One phase's window on one device. Times epoch ms. */
export interface PhaseWindow {
  readonly phase: AbaPhase;
  /** The phase marker's time and the next marker's (or the last sample's when `open_end`). */
  readonly start_ms: number;
  readonly end_ms: number;
  /** First analysed time: start + the settle period. */
  readonly analysed_from_ms: number;
  readonly settle_ms: number;
  /** True when no later marker closed the phase (it runs to the last sample). */
  readonly open_end: boolean;
  /** Rows analysed (after settling). */
  readonly samples: number;
  readonly setpoint: AbaSetpoint | null;
}

/** One phase's mean of one metric: interval from the block bootstrap, n rows, effective n. */
export interface PhaseStat extends Estimate {
  readonly phase: AbaPhase;
  /** Rows with a value (for rates: counter intervals with a delta). */
  readonly n: number;
  /** n divided by the integrated autocorrelation time (≤ n); null when n < 3. */
  readonly n_eff: number | null;
}

/** B − mean(A1, A2) of one metric (absolute, in the metric's unit) and relative to the baseline. */
export interface EffectEstimate extends Estimate {
  /** Bootstrap standard error of `value`. */
  readonly se: number | null;
  /** mean(A1, A2), the baseline level the relative effect divides by. */
  readonly baseline: number | null;
  /** 100 × effect / baseline, %, with its interval; null when the baseline is 0 or missing. */
  readonly pct: Estimate | null;
  /** Bootstrap standard error of `pct.value`, % (what pooling weighs by). */
  readonly pct_se: number | null;
  /** Minimum detectable effect at 80 % power ((z_(1−α/2) + z_0.8) × se), absolute and %. */
  readonly mde: number | null;
  readonly mde_pct: number | null;
  /** Rows behind each phase mean. */
  readonly n: { readonly A1: number; readonly B: number; readonly A2: number };
}

/** The drift-adjusted effect: OLS of the per-sample metric on phase indicators + covariate (+ trend). */
export interface AdjustedEffect extends EffectEstimate {
  /** Slope on the covariate (metric unit per covariate unit) with its interval. */
  readonly covariate_slope: Estimate;
  /** Slope on time (metric unit per hour) when `timeTrend`; else null. */
  readonly trend_slope_per_h: Estimate | null;
  /** Adjusted A2 − A1 (carry-over after adjustment). */
  readonly carry_over: Estimate;
  /** Effective samples per phase and block length, from the regression residuals' autocorrelation. */
  readonly n_eff: { readonly A1: number; readonly B: number; readonly A2: number };
  readonly block_length: number;
  readonly model: string;
}

/** A2 − A1: the baseline should come back; `flagged` when its interval excludes 0. */
export interface CarryOver extends Estimate {
  readonly pct: Estimate | null;
  readonly flagged: boolean;
}

/** Exact conditional Poisson test of a count rate in B against A1 + A2 (two-sided). */
export interface RateTest {
  /** Events and exposure (shares for reject rate, hours for HW errors) in A1 + A2 and in B. */
  readonly count_a: number;
  readonly exposure_a: number;
  readonly count_b: number;
  readonly exposure_b: number;
  readonly rate_a: number | null;
  readonly rate_b: number | null;
  /** rate_b / rate_a with its exact (Clopper–Pearson on the conditional binomial) interval. */
  readonly rate_ratio: Estimate;
  readonly p_value: number;
  readonly exposure_unit: 'shares' | 'hours';
}

/** Everything about one metric on one device. */
export interface MetricResult {
  readonly metric: AbaMetric;
  readonly unit: string;
  /** Which way is better, when there is one (temperatures, power: lower; efficiency: per unit). */
  readonly better: 'higher' | 'lower' | null;
  readonly phases: readonly PhaseStat[];
  readonly effect: EffectEstimate | null;
  readonly carry_over: CarryOver | null;
  /** Null when no covariate, too little covariate variation or too few rows (see `notes`). */
  readonly adjusted: AdjustedEffect | null;
  /** Only for `reject_rate` and `hw_error_rate_per_h`. */
  readonly rate_test: RateTest | null;
  /** Sign of the effect whose interval excludes 0 (adjusted when available), else `none`. */
  readonly direction: 'up' | 'down' | 'none' | null;
  /** Bootstrap block length, samples (null without values). */
  readonly block_length: number | null;
  readonly notes: readonly string[];
}

/** A verdict with the figure behind it and plain-English reasons. */
export interface VerdictResult {
  readonly verdict: Verdict;
  /** The metric the verdict is about (efficiency_h_per_j). */
  readonly metric: AbaMetric;
  /** Whether the drift-adjusted or the raw effect decided. */
  readonly basis: 'adjusted' | 'unadjusted' | null;
  /** The deciding relative effect, %, with its interval. */
  readonly effect_pct: Estimate | null;
  readonly reasons: readonly string[];
}

/** One device's analysis. */
export interface DeviceResult {
  readonly rig: string;
  readonly device: string;
  readonly treatment: string;
  readonly windows: readonly PhaseWindow[];
  /** Median sample interval, ms; null with fewer than 2 rows. */
  readonly sample_interval_ms: number | null;
  /** Bootstrap block length of the efficiency metric, samples (per metric: MetricResult.block_length). */
  readonly block_length: number | null;
  readonly hashrate_field: 'hashrate_5s' | 'hashrate_1m' | null;
  readonly metrics: readonly MetricResult[];
  readonly verdict: VerdictResult;
  /** Whether this device's efficiency effect entered the pooled estimate (see verdict reasons if not). */
  readonly pooled: boolean;
  /** Device-level remarks (open-ended phases, repeated phases…). */
  readonly notes: readonly string[];
}

/** A per-device relative effect combined over devices. */
export interface PooledMetric {
  readonly metric: AbaMetric;
  /** Combined relative effect, %, with its interval; null with no device estimate. */
  readonly effect_pct: Estimate & { readonly se: number | null };
  readonly basis: 'adjusted' | 'unadjusted';
  /** Devices combined, between-device variance (%²), I² (0..1), Cochran's Q. */
  readonly k: number;
  readonly tau2: number | null;
  readonly i2: number | null;
  readonly q: number | null;
  /** Counts summed over devices (reject rate, HW errors). */
  readonly rate_test: RateTest | null;
}

export interface PooledResult {
  readonly method: string;
  readonly devices: number;
  readonly metrics: readonly PooledMetric[];
  readonly verdict: VerdictResult;
}

/** How the numbers were made (every setting that changes them). */
export interface StudyMethod {
  readonly confidence: number;
  readonly replicates: number;
  readonly seed: number;
  readonly bootstrap: string;
  readonly settle_ms: number;
  readonly settle_fraction: number;
  readonly min_phase_ms: number;
  readonly min_effective_n: number;
  readonly min_effect_pct: number;
  readonly covariate: string | null;
  readonly covariate_degree: 1 | 2;
  readonly time_trend: boolean;
  readonly pooling: string;
}

/** The whole analysis: plain JSON (no undefined, no NaN/Infinity: null instead). */
export interface StudyResult {
  readonly schema: 'rigtune.aba/1';
  readonly study_id: string | null;
  readonly treatment: string | null;
  readonly method: StudyMethod;
  readonly devices: readonly DeviceResult[];
  readonly pooled: PooledResult;
  /** Study-level remarks (devices with markers but no rows, rows without markers ignored…). */
  readonly warnings: readonly string[];
}
