// Per-phase columns of each metric as a ratio of two sums (numerator / denominator per row), so one
// bootstrap machinery serves means, efficiency (Σ hashes / Σ energy) and share-count rates alike.

import {
  ABA_PHASES,
  type AbaMetric,
  type AbaPhase,
  type StudySample,
  type StudySampleField,
} from './types.ts';
import type { DeviceWindows } from './windows.ts';

/** One metric's rows in one phase: the statistic is Σ num / Σ den; `y` the per-row value (NaN = none). */
export interface MetricColumns {
  readonly num: Float64Array;
  readonly den: Float64Array;
  /** Per-row value for the regression (num/den of the row), NaN where the row has none. */
  readonly y: Float64Array;
  /** Rows with a value. */
  readonly n: number;
}

/** One phase of one device: row times (hours from the study start), covariate, metric columns. */
export interface PhaseSeries {
  readonly phase: AbaPhase;
  readonly timeH: Float64Array;
  /** Covariate per row, NaN where missing. */
  readonly covariate: Float64Array;
  readonly metrics: Readonly<Record<AbaMetric, MetricColumns>>;
}

/** Units and which way is better, per metric. */
export const METRIC_INFO: Readonly<
  Record<AbaMetric, { readonly unit: string; readonly better: 'higher' | 'lower' | null }>
> = {
  efficiency_h_per_j: { unit: 'H/J', better: 'higher' },
  efficiency_j_per_th: { unit: 'J/TH', better: 'lower' },
  hashrate_hs: { unit: 'H/s', better: 'higher' },
  power_w: { unit: 'W', better: null },
  temp_core_c: { unit: '°C', better: 'lower' },
  temp_mem_c: { unit: '°C', better: 'lower' },
  temp_chip_max_c: { unit: '°C', better: 'lower' },
  temp_inlet_c: { unit: '°C', better: null },
  reject_rate: { unit: 'fraction of shares', better: 'lower' },
  hw_error_rate_per_h: { unit: 'errors/h', better: 'lower' },
};

const GAUGES = ['power_w', 'temp_core_c', 'temp_mem_c', 'temp_chip_max_c', 'temp_inlet_c'] as const;

function value(r: StudySample, f: StudySampleField): number {
  const v = r[f];
  return typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
}

/** The hash-rate column to use: the preferred one if any row has it, else the other, else null. */
export function pickHashrateField(
  rows: readonly StudySample[],
  preferred: 'hashrate_5s' | 'hashrate_1m' = 'hashrate_5s',
): 'hashrate_5s' | 'hashrate_1m' | null {
  const other = preferred === 'hashrate_5s' ? 'hashrate_1m' : 'hashrate_5s';
  if (rows.some((r) => Number.isFinite(value(r, preferred)))) return preferred;
  if (rows.some((r) => Number.isFinite(value(r, other)))) return other;
  return null;
}

/** Median spacing of consecutive rows, ms; null with fewer than 2 rows. */
export function medianIntervalMs(rows: readonly StudySample[]): number | null {
  if (rows.length < 2) return null;
  const d: number[] = [];
  for (let i = 1; i < rows.length; i++) d.push(rows[i].ts - rows[i - 1].ts);
  d.sort((a, b) => a - b);
  return d[d.length >> 1];
}

/**
 * Increase of counter `f` from the previous row; NaN across a reset (the counter went down), a gap
 * longer than `maxGapMs`, a missing reading, or when the previous row lies before `fromTs`.
 */
function counterDelta(
  rows: readonly StudySample[],
  i: number,
  f: StudySampleField,
  maxGapMs: number,
  fromTs: number,
): number {
  if (i === 0) return Number.NaN;
  const prev = rows[i - 1];
  if (prev.ts < fromTs || rows[i].ts - prev.ts > maxGapMs) return Number.NaN;
  const d = value(rows[i], f) - value(prev, f);
  return d >= 0 ? d : Number.NaN;
}

/** Builds each present phase's series from a device's windows. */
export function buildPhaseSeries(
  dw: DeviceWindows,
  hashrateField: 'hashrate_5s' | 'hashrate_1m' | null,
  covariate: StudySampleField | null,
  maxGapMs: number,
): PhaseSeries[] {
  const origin = dw.windows.length > 0 ? dw.windows[0].start_ms : 0;
  const out: PhaseSeries[] = [];
  for (const phase of ABA_PHASES) {
    const range = dw.ranges[phase];
    const window = dw.windows.find((w) => w.phase === phase);
    if (range === undefined || window === undefined) continue;
    const [from, to] = range;
    const n = to - from;
    const cols = {} as Record<
      AbaMetric,
      { num: Float64Array; den: Float64Array; y: Float64Array; n: number }
    >;
    const make = (m: AbaMetric) => {
      cols[m] = {
        num: new Float64Array(n),
        den: new Float64Array(n),
        y: new Float64Array(n).fill(Number.NaN),
        n: 0,
      };
      return cols[m];
    };
    const set = (m: AbaMetric, i: number, num: number, den: number) => {
      const c = cols[m];
      if (!Number.isFinite(num) || !Number.isFinite(den) || den <= 0) return;
      c.num[i] = num;
      c.den[i] = den;
      c.y[i] = num / den;
      c.n++;
    };
    for (const m of Object.keys(METRIC_INFO) as AbaMetric[]) make(m);
    const timeH = new Float64Array(n);
    const cov = new Float64Array(n).fill(Number.NaN);
    for (let i = 0; i < n; i++) {
      const r = dw.rows[from + i];
      timeH[i] = (r.ts - origin) / 3_600_000;
      if (covariate !== null) cov[i] = value(r, covariate);
      const h = hashrateField === null ? Number.NaN : value(r, hashrateField);
      const p = value(r, 'power_w');
      set('hashrate_hs', i, h, 1);
      if (h >= 0 && p > 0) {
        set('efficiency_h_per_j', i, h, p);
        if (h > 0) set('efficiency_j_per_th', i, p, h / 1e12);
      }
      for (const g of GAUGES) set(g, i, value(r, g), 1);
      const fromTs = window.analysed_from_ms;
      const acc = counterDelta(dw.rows, from + i, 'accepted_shares', maxGapMs, fromTs);
      const rej = counterDelta(dw.rows, from + i, 'rejected_shares', maxGapMs, fromTs);
      set('reject_rate', i, rej, acc + rej);
      const hw = counterDelta(dw.rows, from + i, 'hw_errors', maxGapMs, fromTs);
      const dtH = from + i > 0 ? (r.ts - dw.rows[from + i - 1].ts) / 3_600_000 : Number.NaN;
      set('hw_error_rate_per_h', i, hw, dtH);
    }
    out.push({ phase, timeH, covariate: cov, metrics: cols });
  }
  return out;
}
