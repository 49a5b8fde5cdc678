// Shapes of a backtest: the signals a replay produced (rupture events, raised advice), how long each
// device was observed, labels tied to a trace, and the figures computed from them.

import type { RuptureClass } from '../../core/scores.ts';
import type { Ci, Distribution } from './intervals.ts';
import type { Label } from './labels.ts';

/** What a detection is measured with: rupture events of at least a class, or raised advice. */
export const SIGNAL_LEVELS = ['any', 'micro', 'meso', 'macro', 'advice'] as const;
export type SignalLevel = (typeof SIGNAL_LEVELS)[number];

/** One thing the system would have told an operator. */
export interface Signal {
  readonly source: 'event' | 'advice';
  /** Index of the trace file it came from. */
  readonly trace: number;
  readonly rig: string;
  /** null = about the whole rig (rig-wide advice such as check_pool). */
  readonly device: string | null;
  /** When the operator would have seen it, epoch ms: an event's ts_detected, an advice's raise time. */
  readonly tsMs: number;
  /** The event's class (worst class while it was open); null for advice. */
  readonly class: RuptureClass | null;
  /** The advice kind; null for events. */
  readonly adviceKind: string | null;
}

/** One device of one trace: the span it was observed over. */
export interface Exposure {
  readonly trace: number;
  readonly rig: string;
  readonly device: string;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly samples: number;
}

/** A label tied to the trace it is evaluated in. */
export interface ScopedLabel extends Label {
  readonly trace: number;
}

/** A label as read, with the trace it belongs to when its file is that trace's events file (else null). */
export interface LabelInput {
  readonly label: Label;
  readonly trace: number | null;
}

/** The matching rules (README.md "Matching"). */
export interface MatchOptions {
  /** A signal up to this long before the onset still counts for the label, ms (≥ 0). */
  readonly beforeMs: number;
  /** … and up to this long after the label's end, ms (≥ 0). */
  readonly afterMs: number;
}

export const DEFAULT_MATCH: MatchOptions = { beforeMs: 60_000, afterMs: 300_000 };

/** A proportion with its sample size and 95 % Wilson interval (null when n = 0). */
export interface Proportion {
  readonly k: number;
  readonly n: number;
  readonly rate: number | null;
  readonly ci95: Ci | null;
}

/** A count over the observed device-days, with the exact Poisson 95 % interval of the rate. */
export interface Rate {
  readonly count: number;
  readonly device_days: number;
  readonly per_device_day: number | null;
  readonly ci95: Ci | null;
}

/** Figures of one signal level. */
export interface LevelFigures {
  /** Labels with at least one matching signal of this level. */
  readonly detection: Proportion;
  /** Seconds from onset to the first matching signal, over the detected labels. */
  readonly lead_time_s: Distribution;
  readonly signals: number;
  /** Signals that match no label window. */
  readonly false_alarms: Rate;
  /** Signals that match a label window, of all signals of this level. */
  readonly precision: Proportion;
}

/** Every figure of one evaluation (one configuration on one part of the data). */
export interface BacktestFigures {
  readonly traces: number;
  readonly devices: number;
  readonly device_days: number;
  readonly labels: number;
  readonly levels: Readonly<Record<SignalLevel, LevelFigures>>;
  /** Per advice kind raised: precision and false alarms. */
  readonly advice_kinds: Readonly<
    Record<string, { readonly precision: Proportion; readonly false_alarms: Rate }>
  >;
  /** Per label kind: detection at the headline level and by advice. */
  readonly label_kinds: Readonly<
    Record<string, { readonly detection: Proportion; readonly advice: Proportion }>
  >;
  /** Rig-wide advice left out because the data were split by device (it reads every device of a rig). */
  readonly excluded_rig_advice: number;
}
