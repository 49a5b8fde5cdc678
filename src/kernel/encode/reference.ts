// Reference struct-bit encoder: score's `encode_struct_bits.encode_bits` (sep-reference.md §4.1) over a
// whole series with centred windows, exact against the pandas vectors. Offline only: it sees the future.

import { rollingMedian, rollingStd } from './pandas-rolling.ts';
import type { StructFlags, StructIntermediates } from './types.ts';
import { toFloat } from './types.ts';

/** Rows in the centred median windows of x and of |x − median| (rows i−30 … i+30). */
export const REFERENCE_MEDIAN_WINDOW = 61;
/** Rows in the centred standard-deviation window (rows i−150 … i+150). */
export const REFERENCE_SD_WINDOW = 301;
/** Added to the standard deviation before dividing, as in the reference (keeps z finite at sd = 0). */
export const Z_EPSILON = 1e-12;

/** Result of {@link encodeReferenceDetailed}: the flags plus every intermediate series. */
export interface ReferenceEncoding {
  readonly flags: StructFlags;
  readonly intermediates: StructIntermediates;
}

/** `np.diff(a, prepend=a[0])`: a[i] − a[i−1], with a[0] − a[0] at row 0 (NaN/inf propagate). */
function diffPrepend(a: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - a[i === 0 ? 0 : i - 1];
  return out;
}

/** 1 where v > 0; NaN compares false, as numpy's `>` does. */
function positive(a: Float64Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] > 0 ? 1 : 0;
  return out;
}

/**
 * Reference encoding with intermediates. Input values are in any unit; null (or undefined) means
 * missing and behaves like pandas' NaN: skipped by the rolling windows, and any difference or z
 * that involves it is NaN, whose flag is 0. ±inf take part in differences and z but, as in pandas,
 * are treated as missing inside the rolling windows.
 */
export function encodeReferenceDetailed(values: ArrayLike<number | null>): ReferenceEncoding {
  const n = values.length;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = toFloat(values[i]);

  const dx = diffPrepend(x);
  const ddx = diffPrepend(dx);
  const median = rollingMedian(x, REFERENCE_MEDIAN_WINDOW, true);
  const deviation = new Float64Array(n);
  for (let i = 0; i < n; i++) deviation[i] = Math.abs(x[i] - median[i]);
  const devMedian = rollingMedian(deviation, REFERENCE_MEDIAN_WINDOW, true);
  const ddev = diffPrepend(devMedian);
  const sd = rollingStd(x, REFERENCE_SD_WINDOW, true);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = (x[i] - median[i]) / (sd[i] + Z_EPSILON);

  return {
    flags: { up: positive(dx), accel: positive(ddx), rangeexp: positive(ddev), zpos: positive(z) },
    intermediates: { median, deviation, devMedian, sd, z },
  };
}

/**
 * Struct-bit flags of one channel exactly as the pandas reference computes them (§4.1): centred
 * 61-row medians of x and of |x − median|, centred 301-row sample std (ddof 1), min_periods 1.
 * UP = dx > 0, ACCEL = ddx > 0, RANGEEXP = Δ(deviation median) > 0, ZPOS = z > 0; row 0 has
 * UP/ACCEL/RANGEEXP = 0. Row i depends on rows up to i+150, so use {@link encodeCausal} for live data.
 * O(n log 61) time, O(n) memory.
 */
export function encodeReference(values: ArrayLike<number | null>): StructFlags {
  return encodeReferenceDetailed(values).flags;
}
