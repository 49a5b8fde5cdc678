// What a backtest reports (`backtest.json`): every candidate's figures, the split, the pick, the chosen
// configuration on held-out data, and the one-line summary that `rigtune backtest` prints last.

import type { SplitUnit } from './split.ts';
import type { Pick } from './sweep.ts';
import type { BacktestFigures, SignalLevel } from './types.ts';

/** One candidate's figures: on all data (single candidate) or on the validation part. */
export interface CandidateResult {
  readonly name: string;
  readonly file: string | null;
  readonly settings: Readonly<Record<string, unknown>>;
  /** 'all' with one candidate (nothing to pick), else 'validation'. */
  readonly part: 'all' | 'validation';
  readonly figures: BacktestFigures;
}

/** Everything `backtest.json` holds. */
export interface BacktestReport {
  readonly kind: 'rigtune.backtest';
  readonly traces: readonly string[];
  readonly label_files: readonly string[];
  readonly labels_read: number;
  /** Labels whose onset no trace observed (their rig/device is absent or the time is outside the data). */
  readonly labels_unobserved: ReadonlyArray<{
    readonly id: string;
    readonly file: string;
    readonly line: number;
  }>;
  readonly records: number;
  readonly match: { readonly before_s: number; readonly after_s: number };
  readonly level: SignalLevel;
  readonly split: null | {
    readonly by: SplitUnit;
    readonly fraction: number;
    readonly seed: number;
    readonly validation_units: readonly string[];
    readonly test_units: readonly string[];
  };
  readonly pick: null | (Pick & { readonly max_false_alarms_per_device_day: number | null });
  readonly candidates: readonly CandidateResult[];
  /** The chosen candidate on the held-out test part; null with one candidate. */
  readonly chosen: null | { readonly name: string; readonly figures: BacktestFigures };
  /** The figures the headline reports: the chosen on test, or the single candidate on all data. */
  readonly headline: {
    readonly name: string;
    readonly part: 'all' | 'test';
    readonly figures: BacktestFigures;
  };
}

/** The last stdout line of `rigtune backtest`: the headline figures as one flat JSON object. */
export function summaryLine(r: BacktestReport): Record<string, unknown> {
  const f = r.headline.figures;
  const level = f.levels[r.level];
  return {
    configs: r.candidates.length,
    traces: f.traces,
    devices: f.devices,
    device_days: round(f.device_days, 4),
    labels: f.labels,
    detection_rate: level.detection.rate === null ? null : round(level.detection.rate, 4),
    lead_time_median_s: level.lead_time_s.median === null ? null : round(level.lead_time_s.median, 1),
    false_alarms_per_device_day:
      level.false_alarms.per_device_day === null ? null : round(level.false_alarms.per_device_day, 3),
    chosen: r.chosen?.name ?? null,
  };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
