// What scoring produces and every sink, the API and the store carry: one ScoreTick per device sample
// and one RuptureEvent per detected change. These shapes are the NDJSON of `rigtune score` and the Valkey payloads.

/** Rupture classes, least to most severe (docs/scoring.md §9). */
export const RUPTURE_CLASSES = ['none', 'micro', 'meso', 'macro'] as const;
export type RuptureClass = (typeof RUPTURE_CLASSES)[number];

/** QFH metrics of one bit window (sep-reference §2.7), as carried in a tick. */
export interface StructureMetrics {
  /** Bits in the window. */
  readonly n: number;
  readonly coherence: number;
  readonly stability: number;
  readonly entropy: number;
  readonly rupture: number;
  readonly flip_ratio: number;
  readonly collapse: boolean;
  readonly sig_c: number;
  readonly sig_s: number;
  readonly sig_e: number;
}

/** Per channel: its change posterior and the mean QFH metrics of its four struct-bit flag streams. */
export interface ChannelScore {
  /** Posterior change probability of this channel's detector, [0, 1]. */
  readonly change_prob: number;
  /** Mean coherence / stability / entropy / rupture over the UP, ACCEL, RANGEEXP, ZPOS streams. */
  readonly coherence: number | null;
  readonly stability: number | null;
  readonly entropy: number | null;
  readonly rupture: number | null;
  /** Per-flag metrics, only when the scorer runs with `channelDetail`. */
  readonly flags?: Readonly<Record<string, StructureMetrics>>;
}

/** KPIs of a tick (units in the names; null = inputs missing). */
export interface TickKpis {
  readonly efficiency_h_per_j: number | null;
  readonly efficiency_j_per_th: number | null;
  readonly reject_rate: number | null;
  readonly reject_rate_ci95: readonly [number, number] | null;
  readonly shares_in_window: number | null;
  readonly thermal_headroom_c: number | null;
  readonly latency_budget_ms: number | null;
  readonly stability_index: number | null;
  readonly eff_norm: number | null;
  readonly hashrate_ratio: number | null;
}

/** The score of one device at one sample. */
export interface ScoreTick {
  readonly type: 'tick';
  /** Sample time, epoch ms. */
  readonly ts: number;
  readonly rig: string;
  readonly device: string;
  /** Samples seen for this device so far (this one included). */
  readonly samples: number;
  /** Composite health bit of this step: 1 = unhealthy; null for the first sample. */
  readonly health_bit: 0 | 1 | null;
  readonly health_reasons: readonly string[];
  /** QFH metrics of the composite health stream; null until `minSamples` samples were seen. */
  readonly structure: StructureMetrics | null;
  /** Highest posterior change probability over the channels, [0, 1]. */
  readonly change_prob: number;
  /** Combined hazard 1 − (1 − R)(1 − p), [0, 1]. */
  readonly lambda_hazard: number;
  readonly kpis: TickKpis;
  /** 0–100, higher = healthier; null when nothing is known yet. */
  readonly sep_score: number | null;
  readonly rupture_class: RuptureClass;
  /** Channels whose change posterior is at least 0.5 at this sample. */
  readonly channels_changing: readonly string[];
  readonly channels: Readonly<Record<string, ChannelScore>>;
  /** Counters that went backwards at this sample (a miner restart). */
  readonly counter_resets: readonly string[];
}

/** A detected change on one device: when it began, when it was flagged, where and how bad. */
export interface RuptureEvent {
  readonly type: 'event';
  /** Estimated time the change began (epoch ms): the first sample of the new segment. */
  readonly ts_start: number;
  /** Time of the sample at which the change was flagged (epoch ms). */
  readonly ts_detected: number;
  readonly rig: string;
  readonly device: string;
  /** Worst rupture class seen on the device from detection until the event was closed. */
  readonly class: RuptureClass;
  /** Channels whose detectors declared this change, in order of declaration. */
  readonly channels: readonly string[];
  /** Highest detector posterior among the declarations, [0, 1]. */
  readonly hazard: number;
}
