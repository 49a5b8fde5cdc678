// Small descriptive statistics over plain number arrays (mean, sample variance, median, MAD).
// Shared by the KPI code and its legacy V3 reference; pure, no allocation per call (one reused scratch).

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

/** Scratch of {@link median}: selection reorders a copy, never the caller's array. */
let scratch = new Float64Array(64);

/**
 * Median (mean of the two middle values for even n, as Python's `statistics.median`); null if empty.
 * Quickselect on a reused scratch copy, O(n) and no allocation: it runs on every tick of every device.
 * NaN entries are not expected (callers pass finite values); the result equals sorting's bit for bit.
 */
export function median(values: readonly number[]): number | null {
  const n = values.length;
  if (n === 0) return null;
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const a = scratch;
  for (let i = 0; i < n; i += 1) a[i] = values[i];
  const mid = n >> 1;
  const upper = selectInPlace(a, n, mid);
  if (n % 2 === 1) return upper;
  // After selection every entry below `mid` is ≤ the upper middle: the lower middle is their maximum.
  let lower = a[0];
  for (let i = 1; i < mid; i += 1) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

/** Reorders a[0..n) so that a[k] is the k-th smallest and a[i] ≤ a[k] for i < k; returns a[k]. */
function selectInPlace(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i += 1;
      while (a[j] > pivot) j -= 1;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
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
