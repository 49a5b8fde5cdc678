// Axis arithmetic for the SVG charts: data extents, "nice" tick values, linear maps from data to pixels,
// time ticks on round UTC steps, and min/max downsampling so long series stay small in a file.

/** Smallest and largest finite value, or null when there is none. */
export function extent(values: Iterable<number | null | undefined>): readonly [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Widens a degenerate or tight domain: equal ends get ±1 % (or ±1), and `pad` of the span each side. */
export function padDomain(domain: readonly [number, number], pad = 0.05): readonly [number, number] {
  let [lo, hi] = domain;
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.01;
    return [lo - d, hi + d];
  }
  const span = hi - lo;
  lo -= span * pad;
  hi += span * pad;
  return [lo, hi];
}

/** About `count` round tick values (1, 2, 5 × 10^k steps) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const first = Math.ceil(lo / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const TIME_STEPS_MS = [
  1_000, 5_000, 15_000, 30_000, 60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000,
  10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/** Tick times (epoch ms) on round UTC steps, about `count` of them over [lo, hi]. */
export function timeTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const want = (hi - lo) / Math.max(1, count);
  const step = TIME_STEPS_MS.find((s) => s >= want) ?? Math.ceil(want / 86_400_000) * 86_400_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) ticks.push(t);
  return ticks;
}

/** A linear map from a data domain to a pixel range (either may be reversed). */
export function linear(
  domain: readonly [number, number],
  range: readonly [number, number],
): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** A point of a series; y null = no reading (a gap in the line). */
export type Point = readonly [x: number, y: number | null];

/**
 * At most about `maxPoints` points: the x range is cut into buckets and each keeps its first, minimum,
 * maximum and last point in x order, so spikes survive; a gap (null y) inside a bucket is kept once.
 * Input must be sorted by x. Shorter series are returned as they are.
 */
export function downsample(points: readonly Point[], maxPoints: number): Point[] {
  if (points.length <= maxPoints || points.length < 2) return [...points];
  const buckets = Math.max(1, Math.floor(maxPoints / 4));
  const x0 = points[0][0];
  const span = points[points.length - 1][0] - x0 || 1;
  const out: Point[] = [];
  let i = 0;
  for (let b = 0; b < buckets && i < points.length; b += 1) {
    const end = b === buckets - 1 ? Number.POSITIVE_INFINITY : x0 + ((b + 1) * span) / buckets;
    const start = i;
    let lo = -1;
    let hi = -1;
    let gap = -1;
    for (; i < points.length && points[i][0] < end; i += 1) {
      const y = points[i][1];
      if (y === null) {
        if (gap < 0) gap = i;
        continue;
      }
      if (lo < 0 || y < (points[lo][1] as number)) lo = i;
      if (hi < 0 || y > (points[hi][1] as number)) hi = i;
    }
    if (i === start) continue;
    const keep = new Set([start, i - 1, lo, hi, gap].filter((k) => k >= 0));
    for (const k of [...keep].sort((a, b2) => a - b2)) out.push(points[k]);
  }
  return out;
}

/** Sorted-array quantile with linear interpolation (type 7); null when empty. */
export function quantileSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Means of y over `bins` equal x ranges spanning the points (sorted by x), at each bin's centre; an
 * empty bin (or one with only null y) gives null, so the line breaks across a gap in the data.
 */
export function binMeans(points: readonly Point[], bins: number): Point[] {
  if (points.length === 0) return [];
  const x0 = points[0][0];
  const x1 = points[points.length - 1][0];
  if (points.length <= bins || x1 === x0) return [...points];
  const width = (x1 - x0) / bins;
  const sums = new Float64Array(bins);
  const counts = new Uint32Array(bins);
  for (const [x, y] of points) {
    if (y === null || !Number.isFinite(y)) continue;
    const b = Math.min(bins - 1, Math.floor((x - x0) / width));
    sums[b] += y;
    counts[b] += 1;
  }
  const out: Point[] = [];
  for (let b = 0; b < bins; b += 1)
    out.push([x0 + (b + 0.5) * width, counts[b] === 0 ? null : sums[b] / counts[b]]);
  return out;
}
