// Bit-exact ports of the two pandas 2.2 rolling kernels the reference encoder uses (median, var/std),
// with pandas' window bounds, NaN skipping and inf→NaN preparation, so vectors match to the last bit.

import { WindowMedian } from './window-median.ts';

/** Start (inclusive) and end (exclusive) row of each window, as pandas' FixedWindowIndexer makes them. */
export interface WindowBounds {
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/**
 * Window bounds of `series.rolling(window, center)` over n rows: end = i + 1 + offset with
 * offset = ⌊(window − 1)/2⌋ when centred (0 when trailing), start = end − window, both clipped to [0, n].
 */
export function fixedWindowBounds(n: number, window: number, center: boolean): WindowBounds {
  const offset = center ? (window - 1) >> 1 : 0;
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const e = i + 1 + offset;
    end[i] = Math.min(Math.max(e, 0), n);
    start[i] = Math.min(Math.max(e - window, 0), n);
  }
  return { start, end };
}

/** pandas `_prep_values`: ±inf becomes NaN before any rolling kernel runs (NaN is then skipped). */
export function prepValues(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY ? Number.NaN : v;
  }
  return out;
}

/**
 * `series.rolling(window, min_periods=1, center).median()`: exact median of the finite values in
 * each window (even count → mean of the two middle ones); NaN where a window has no finite value.
 * O(n log window) via {@link WindowMedian} (pandas uses a skiplist; the median value is the same).
 */
export function rollingMedian(values: Float64Array, window: number, center: boolean): Float64Array {
  const n = values.length;
  const x = prepValues(values);
  const { start, end } = fixedWindowBounds(n, window, center);
  const out = new Float64Array(n);
  const med = new WindowMedian(window);
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    // Remove before adding so at most `window` rows share the `row % window` slots.
    for (; lo < start[i]; lo++) if (lo < hi) med.remove(lo % window);
    for (hi = Math.max(hi, lo); hi < end[i]; hi++) {
      if (!Number.isNaN(x[hi])) med.insert(hi % window, x[hi]);
    }
    out[i] = med.median();
  }
  return out;
}

/** Running state of pandas' Welford variance with Kahan-compensated mean (aggregations.pyx). */
interface VarState {
  nobs: number;
  mean: number;
  ssqdm: number;
  compAdd: number;
  compRemove: number;
  sameRun: number;
  prev: number;
}

function addVar(s: VarState, val: number): void {
  if (Number.isNaN(val)) return;
  s.nobs += 1;
  // GH#42064: a run of identical values forces the variance to exactly 0.
  s.sameRun = val === s.prev ? s.sameRun + 1 : 1;
  s.prev = val;
  const prevMean = s.mean - s.compAdd;
  const y = val - s.compAdd;
  const t = y - s.mean;
  s.compAdd = t + s.mean - y;
  s.mean = s.nobs !== 0 ? s.mean + t / s.nobs : 0;
  s.ssqdm = s.ssqdm + (val - prevMean) * (val - s.mean);
}

function removeVar(s: VarState, val: number): void {
  if (Number.isNaN(val)) return;
  s.nobs -= 1;
  if (s.nobs !== 0) {
    const prevMean = s.mean - s.compRemove;
    const y = val - s.compRemove;
    const t = y - s.mean;
    s.compRemove = t + s.mean - y;
    s.mean = s.mean - t / s.nobs;
    s.ssqdm = s.ssqdm - (val - prevMean) * (val - s.mean);
  } else {
    s.mean = 0;
    s.ssqdm = 0;
  }
}

/** pandas `calc_var` with min_periods = 1 and ddof = 1. */
function calcVar(s: VarState): number {
  if (s.nobs <= 1) return Number.NaN;
  if (s.sameRun >= s.nobs) return 0;
  return s.ssqdm / (s.nobs - 1);
}

/**
 * `series.rolling(window, min_periods=1, center).std().fillna(0)` (ddof 1), reproducing pandas'
 * online algorithm step by step (remove leaving rows, then add entering rows), so results equal
 * pandas bit for bit rather than a two-pass computation. Windows with < 2 finite values give 0;
 * negative variances from rounding give 0 (pandas `zsqrt`).
 */
export function rollingStd(values: Float64Array, window: number, center: boolean): Float64Array {
  const n = values.length;
  const x = prepValues(values);
  const { start, end } = fixedWindowBounds(n, window, center);
  const out = new Float64Array(n);
  const s: VarState = { nobs: 0, mean: 0, ssqdm: 0, compAdd: 0, compRemove: 0, sameRun: 0, prev: 0 };
  for (let i = 0; i < n; i++) {
    const st = start[i];
    const e = end[i];
    if (i === 0 || st >= end[i - 1]) {
      s.prev = x[st];
      s.sameRun = 0;
      s.nobs = 0;
      s.mean = 0;
      s.ssqdm = 0;
      s.compAdd = 0;
      s.compRemove = 0;
      for (let j = st; j < e; j++) addVar(s, x[j]);
    } else {
      for (let j = start[i - 1]; j < st; j++) removeVar(s, x[j]);
      for (let j = end[i - 1]; j < e; j++) addVar(s, x[j]);
    }
    const variance = calcVar(s);
    out[i] = Number.isNaN(variance) ? 0 : variance < 0 ? 0 : Math.sqrt(variance);
  }
  return out;
}
