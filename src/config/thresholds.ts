// Scoring thresholds a config may set globally (`defaults:`) and override per rig (`thresholds:`):
// scorer windows, health rule, KPIs, sep_score, rupture class, change detector and advisory rules, all optional.

import { z } from 'zod';
import { AdvisoryOptionsSchema } from '../control/advisory/options.ts';
import { GAUGE_FIELDS } from '../core/snapshot.ts';

const frac = (text: string) => z.number().min(0).max(1).describe(text);
const count = (min: number, text: string) => z.number().int().min(min).describe(text);
const positive = (text: string) => z.number().positive().describe(text);
const nonNegative = (text: string) => z.number().min(0).describe(text);

/** Channels a config may list: snapshot gauges, the derived efficiency and the share counters' reject rate. */
export const CHANNEL_NAMES = [...GAUGE_FIELDS, 'efficiency_h_per_j', 'reject_rate'] as const;

const HealthSchema = z
  .strictObject({
    eff_drop_frac: frac('Unhealthy when efficiency (H/J) is this fraction below its baseline (EMA); 0..1.'),
    hashrate_drop_frac: frac('Unhealthy when hashrate is this fraction below its baseline (EMA); 0..1.'),
    thermal_margin_c: nonNegative(
      'Unhealthy when the hottest temperature is within this many °C of its limit.',
    ),
    latency_rise_frac: nonNegative(
      'Unhealthy when stratum latency exceeds max(latency_floor_ms, baseline × (1 + this)); fraction.',
    ),
    latency_floor_ms: nonNegative('Latency below this never counts as a rise, ms.'),
    power_jump_w: nonNegative(
      'Unhealthy when power exceeds its baseline by more than this many W (and power_jump_frac).',
    ),
    power_jump_frac: nonNegative('… and by more than this fraction of the baseline.'),
    reject_step_frac: frac("Unhealthy when a step's rejected+stale share fraction exceeds this; 0..1."),
    throttle_mask: z
      .number()
      .int()
      .min(0)
      .max(0xffffffff)
      .describe('NVML clock-event reason bits that count as unhealthy (bitmask; YAML accepts 0xE8).'),
  })
  .partial();

const ThermalLimitsSchema = z
  .strictObject({
    core_c: z.number().min(-50).max(200).nullable().describe('Core temperature limit, °C; null = none.'),
    mem_c: z
      .number()
      .min(-50)
      .max(200)
      .nullable()
      .describe('Memory-junction temperature limit, °C; null = none.'),
    chip_c: z.number().min(-50).max(200).nullable().describe('Hottest-chip limit (ASICs), °C; null = none.'),
  })
  .partial();

const KpiSchema = z
  .strictObject({
    thermal_limits_c: ThermalLimitsSchema.describe(
      'Limits used when the device reports no temp_target_c (GPUs: core 83, mem 95; set chip_c for ASICs).',
    ),
    latency_budget_ms: positive('Stratum latency budget, ms.'),
    min_window_n: count(2, 'Fewest finite window values for stability_index and eff_norm.'),
    mad_floor_rel: nonNegative('MAD floor of eff_norm as a fraction of |median| (0.005 = 0.5 %).'),
  })
  .partial();

const weight = (name: string) =>
  nonNegative(`Weight of the ${name} component (≥ 0; weights need not sum to 1).`);
const WeightsSchema = z
  .strictObject({
    coherence: weight('coherence C'),
    entropy: weight('entropy H'),
    rupture: weight('rupture ratio R'),
    change_prob: weight('change posterior p'),
    eff_norm: weight('normalised efficiency'),
    stability_index: weight('stability index'),
    thermal_headroom_c: weight('thermal headroom'),
    latency_budget_ms: weight('latency budget'),
    reject_rate: weight('reject rate'),
    hashrate_ratio: weight('hashrate ratio'),
  })
  .partial();

const SepScoreSchema = z
  .strictObject({
    weights: WeightsSchema.describe('Weights of the sep_score components.'),
    thermal_headroom_sat_c: positive('Headroom at which the thermal component is fully good, °C.'),
    latency_budget_sat_ms: positive(
      'Remaining latency budget at which the latency component is fully good, ms.',
    ),
    reject_rate_sat: positive('Reject rate at which the reject component reaches 0 (0.05 = 5 %).'),
    hashrate_shortfall_sat: positive(
      'Hashrate shortfall (1 − ratio) at which the hashrate component reaches 0.',
    ),
  })
  .partial();

const RuptureSchema = z
  .strictObject({
    micro: frac('Rupture ratio R at or above which the class is at least micro; 0..1.'),
    meso: frac('R at or above which the class is at least meso; 0..1, ≥ micro.'),
    macro: frac('R at or above which the class is macro; 0..1, ≥ meso.'),
    change_prob: frac('Change posterior p at or above which a change counts as confirmed; 0..1.'),
    collapse_rupture: frac('R at or above which the window counts as collapsed; 0..1.'),
  })
  .partial();

const ChangepointSchema = z
  .strictObject({
    hazard: z
      .number()
      .gt(0)
      .lt(1)
      .describe('Prior probability that a new segment starts at a sample; (0, 1).'),
    level_prior: positive("Half-width of a new segment's level prior, in noise scales."),
    variance_shape: positive("Shape of a new segment's noise-variance prior."),
    outlier_prob: z.number().gt(0).lt(1).describe('Probability that a sample is an outlier; (0, 1).'),
    outlier_scale: positive('Half-width of the outlier density, in noise scales.'),
    skip_repeats: z.boolean().describe('An exact repeat of the previous reading adds no evidence.'),
    max_hold: count(1, 'Longest hold period of a repeated reading, samples.'),
    rebase_scale: z.boolean().describe('Forget the old noise scale after a declared change.'),
    scale_window: count(4, 'Trailing window of the robust noise scale, samples.'),
    min_relative_scale: nonNegative(
      "Lower bound of the noise scale as a fraction of the window's median |value|.",
    ),
    warmup: count(2, 'Samples seen before a new segment may be opened.'),
    threshold: z.number().gt(0).max(1).describe('Posterior mass needed to declare a change; (0, 1].'),
    start_tolerance: count(0, 'Half-width of the start-index window compared with threshold, samples.'),
    min_run: count(1, 'Samples of the new segment needed before it may be declared.'),
    min_segment: count(1, 'Minimum distance between two declared starts, samples.'),
    change_window: count(1, 'change_prob = P(current segment is at most this many samples old).'),
    max_runs: count(8, 'Most run-length hypotheses kept.'),
    prune_below: z
      .number()
      .min(0)
      .lt(0.01)
      .describe('Hypotheses below this posterior are dropped; [0, 0.01).'),
  })
  .partial();

const RejectRiseSchema = z
  .strictObject({
    hazard: z
      .number()
      .gt(0)
      .lt(1)
      .describe('Prior probability (per share step) that the bad-share rate rises at that step; (0, 1).'),
    threshold: z
      .number()
      .gt(0)
      .max(1)
      .describe('Posterior probability of a rise needed to declare it; (0, 1].'),
    rises: z
      .array(z.number().gt(0).lt(1))
      .min(1)
      .describe('Alternatives tested: p₁ = p₀ + rise·(1 − p₀), each rise in (0, 1), equal prior weight.'),
    prior_rate: z
      .number()
      .gt(0)
      .lt(1)
      .describe('Bad-share rate assumed before the device’s own shares; (0, 1).'),
    prior_shares: positive('Weight of that prior, shares.'),
    memory_shares: positive('Memory of the baseline rate: older shares weigh e^(−age/this), shares.'),
    baseline_lag: count(0, 'Share steps a tested step waits before it enters the baseline.'),
    min_baseline_rate: z.number().gt(0).lt(1).describe('Lower bound of the baseline rate; (0, 1).'),
    warmup_shares: count(0, 'Shares that only feed the baseline before the test starts.'),
    min_bad_shares: count(1, 'Bad shares the new segment must hold before it may be declared.'),
    refractory_samples: count(0, 'Least samples between two declarations.'),
    rebase_shares: positive('After a declaration, the new baseline weighs at least this many shares.'),
  })
  .partial();

/** Thresholds as written under `defaults:` or a rig's `thresholds:`; every key optional. */
export const ThresholdsSchema = z
  .strictObject({
    window_bits: count(2, 'Bits in the composite-health and per-channel QFH windows.').max(4096),
    min_samples: count(2, 'Samples needed before structure metrics are reported.'),
    share_window: count(
      1,
      'Samples of share-counter deltas summed for the reject rate (300 = 5 min at 1 Hz).',
    ),
    kpi_window: count(2, 'Samples of hashrate/efficiency history for stability_index and eff_norm.'),
    baseline_tau_s: positive('EMA time constant of the health baselines, s.'),
    channels: z
      .union([z.literal('auto'), z.array(z.enum(CHANNEL_NAMES)).min(1)])
      .describe(
        "Channels with a change detector: 'auto' (every present gauge but set-points and duplicates; see docs/scoring.md §10) or a list.",
      ),
    merge_samples: count(0, 'Changes on different channels within this many samples join one event.'),
    channel_detail: z.boolean().describe('Also report QFH metrics of each channel separately.'),
    health: HealthSchema.describe('Composite health rule (one bit per sample: 1 = unhealthy).'),
    kpi: KpiSchema.describe('KPI settings.'),
    sep_score: SepScoreSchema.describe('sep_score weights and saturation points.'),
    rupture: RuptureSchema.describe('Rupture-class thresholds.'),
    changepoint: ChangepointSchema.describe('Online change-point detector.'),
    reject_rise: RejectRiseSchema.describe(
      'Reject-rise detector of the reject_rate channel (src/kernel/shares/README.md explains each key).',
    ),
    advisory: AdvisoryOptionsSchema.describe(
      'Advisory engine: which rules run and their thresholds (docs/control-policy.md).',
    ),
  })
  .partial();

export type ThresholdsInput = z.output<typeof ThresholdsSchema>;

type DeepRequired<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { readonly [K in keyof T]-?: DeepRequired<T[K]> }
    : T;

/** Every threshold with a value (snake_case, as written in YAML). */
export type ThresholdValues = DeepRequired<ThresholdsInput>;
