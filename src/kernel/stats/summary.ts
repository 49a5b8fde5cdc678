// Small descriptive statistics over plain number arrays (mean, sample variance, median, MAD).
// Shared by the KPI code and its legacy V3 reference; pure, no allocation beyond one sorted copy.

/** Arithmetic mean, summed left to right; null for an empty array. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample variance (divisor n − 1), two-pass; null for fewer than 2 values. */
export function sampleVariance(values: readonly number[]): number | null {
  const m = mean(values);
  if (m === null || values.length < 2) return null;
  let acc = 0;
  for (const v of values) acc += (v - m) * (v - m);
  return acc / (values.length - 1);
}

/** Median (mean of the two middle values for even n, as Python's `statistics.median`); null if empty. */
export function median(values: readonly number[]): number | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median absolute deviation from the median (unscaled, no 1.4826 factor); null if empty. */
export function medianAbsDeviation(values: readonly number[], center?: number): number | null {
  const c = center ?? median(values);
  if (c === null) return null;
  return median(values.map((v) => Math.abs(v - c)));
}

/** The finite numbers of `values`, in order (drops null, NaN and ±Infinity). */
export function finiteValues(values: readonly (number | null | undefined)[]): number[] {
  const out: number[] = [];
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  return out;
}
