// Settings of the per-device scoring pipeline, with the defaults `rigtune score` uses. Every part
// (health rule, KPIs, sep_score, rupture class, change detector) keeps its own kernel defaults.

import type { Snapshot } from '../core/snapshot.ts';
import type { ChangePointOptions } from '../kernel/changepoint/index.ts';
import { DEFAULT_HEALTH_OPTIONS, type HealthOptions } from '../kernel/health/index.ts';
import {
  DEFAULT_KPI_OPTIONS,
  DEFAULT_RUPTURE_THRESHOLDS,
  DEFAULT_SEP_SCORE_OPTIONS,
  type KpiOptions,
  type RuptureThresholds,
  type SepScoreOptions,
} from '../kernel/score/index.ts';
import type { RejectRiseOptions } from '../kernel/shares/index.ts';

/**
 * Channels the pipeline can watch: snapshot gauges plus derived ones (`efficiency_h_per_j`, and
 * `reject_rate`: the share counters' bad-share rate, watched by a reject-rise detector).
 */
export type ChannelName = keyof Snapshot | 'efficiency_h_per_j' | 'reject_rate';

export interface ScorerOptions {
  /** Bits in the composite-health and per-flag QFH windows (V3: 31 bits from 32 snapshots). */
  readonly windowBits: number;
  /** Samples needed before structure metrics are reported (V3: 16). */
  readonly minSamples: number;
  /** Samples of counter deltas summed for the reject rate (at 1 Hz: the last 5 minutes). */
  readonly shareWindow: number;
  /** Samples of hashrate/efficiency history for stability_index and eff_norm. */
  readonly kpiWindow: number;
  /** EMA time constant of the health baselines, seconds. */
  readonly baselineTauS: number;
  /**
   * Channels with a change detector; 'auto' = every present gauge but set-points, efficiency, and
   * reject_rate on devices with share counters.
   */
  readonly channels: 'auto' | readonly ChannelName[];
  /** Declarations of different channels within this many samples of the first join one event. */
  readonly mergeSamples: number;
  /** Also report QFH metrics of each channel flag stream separately. */
  readonly channelDetail: boolean;
  readonly health: HealthOptions;
  readonly kpi: KpiOptions;
  readonly sepScore: SepScoreOptions;
  readonly rupture: RuptureThresholds;
  readonly changepoint: Partial<ChangePointOptions>;
  /** Reject-rise detector of the reject_rate channel; absent = its defaults (src/kernel/shares/README.md). */
  readonly rejectRise?: Partial<RejectRiseOptions>;
}

export const DEFAULT_SCORER_OPTIONS: ScorerOptions = {
  windowBits: 31,
  minSamples: 16,
  shareWindow: 300,
  kpiWindow: 32,
  baselineTauS: 60,
  channels: 'auto',
  mergeSamples: 5,
  channelDetail: false,
  health: DEFAULT_HEALTH_OPTIONS,
  kpi: DEFAULT_KPI_OPTIONS,
  sepScore: DEFAULT_SEP_SCORE_OPTIONS,
  rupture: DEFAULT_RUPTURE_THRESHOLDS,
  changepoint: {},
};

/**
 * Gauges left out of 'auto' channel selection. Operator set-points and nominal values change only when
 * someone changes them. `clock_mem_mhz` is the overclock profile's memory clock: it moves when a profile
 * is applied or the card drops a P-state, and a drop shows in `hashrate_5s` and `clock_core_mhz`, which
 * are watched. `util_pct` of a mining GPU is 100 % while the miner runs; when it stops, the hashrate
 * channel sees it first. Each watched channel costs a change detector and four flag streams per device
 * (≈ 6 KB and ≈ 4 µs a sample), so 'auto' watches the channels that carry independent information;
 * list the others under `channels:` to watch them too.
 */
export const AUTO_CHANNEL_EXCLUDES: ReadonlySet<string> = new Set([
  'power_limit_w',
  'temp_target_c',
  'hashrate_expected',
  'clock_mem_mhz',
  'util_pct',
]);

/**
 * Gauges 'auto' watches only on devices that do not report a better reading of the same thing (the value):
 * `hashrate_1m` is a smoothed duplicate of `hashrate_5s`; `fan_pct` is the duty the fan controller asks
 * for, `fan_rpm` what the fan does (a failed fan: rpm falls while the duty rises), so a device with both
 * is watched on its rpm.
 */
export const AUTO_CHANNEL_FALLBACKS: ReadonlyMap<string, keyof Snapshot> = new Map<string, keyof Snapshot>([
  ['hashrate_1m', 'hashrate_5s'],
  ['fan_pct', 'fan_rpm'],
]);
