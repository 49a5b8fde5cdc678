// Circular block bootstrap over sums: each column's circular prefix sums are computed once, so a
// replicate costs one draw per block whatever the statistic (means, ratios, regression moments).

import type { SeededRng } from './rng.ts';

/**
 * One series' resampler: `draw(rng, totals)` writes into `totals[c]` the sum of column c over n
 * values made of ceil(n / L) circular blocks drawn with replacement, the last one cut short. Every
 * start is equally likely and blocks wrap around, so E[total / n] is the column mean exactly.
 * Columns share the draws, so ratios and regression moments stay paired.
 */
export class CircularBlockResampler {
  readonly n: number;
  readonly blockLength: number;
  readonly blocks: number;
  /** Circular prefix sums per column, length 2n + 1: a block [s, s + len) sums to p[s + len] − p[s]. */
  readonly #prefix: Float64Array[];

  constructor(columns: readonly ArrayLike<number>[], blockLength: number) {
    const n = columns.length > 0 ? columns[0].length : 0;
    this.n = n;
    this.blockLength = Math.max(1, Math.min(Math.floor(blockLength), Math.max(1, n)));
    this.blocks = n === 0 ? 0 : Math.ceil(n / this.blockLength);
    this.#prefix = columns.map((c) => {
      const p = new Float64Array(2 * n + 1);
      for (let i = 0; i < 2 * n; i++) p[i + 1] = p[i] + c[i % n];
      return p;
    });
  }

  draw(rng: SeededRng, totals: Float64Array): void {
    const prefix = this.#prefix;
    totals.fill(0, 0, prefix.length);
    let left = this.n;
    for (let b = 0; b < this.blocks; b++) {
      const len = Math.min(this.blockLength, left);
      left -= len;
      const start = rng.int(this.n);
      for (let c = 0; c < prefix.length; c++) totals[c] += prefix[c][start + len] - prefix[c][start];
    }
  }
}

/** The q-quantile (0..1) of `sorted` (ascending), linear interpolation (type 7); null if empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Percentile interval and standard deviation of bootstrap replicates (non-finite ones dropped). */
export interface ReplicateSummary {
  readonly lo: number | null;
  readonly hi: number | null;
  readonly se: number | null;
  /** Finite replicates used. */
  readonly used: number;
}

/** Summarises replicates at two-sided `confidence`: percentile ends and the replicates' SD. */
export function summarizeReplicates(replicates: ArrayLike<number>, confidence: number): ReplicateSummary {
  const finite: number[] = [];
  for (let i = 0; i < replicates.length; i++) if (Number.isFinite(replicates[i])) finite.push(replicates[i]);
  if (finite.length < 2) return { lo: null, hi: null, se: null, used: finite.length };
  const sorted = Float64Array.from(finite).sort();
  let m = 0;
  for (const v of finite) m += v;
  m /= finite.length;
  let ss = 0;
  for (const v of finite) ss += (v - m) * (v - m);
  const alpha = 1 - confidence;
  return {
    lo: quantileSorted(sorted, alpha / 2),
    hi: quantileSorted(sorted, 1 - alpha / 2),
    se: Math.sqrt(ss / (finite.length - 1)),
    used: finite.length,
  };
}

/**
 * Circular block bootstrap interval of one series' mean (convenience over the resampler): the
 * percentile interval of `replicates` resampled means. Null for an empty series.
 */
export function blockBootstrapMean(
  x: readonly number[],
  blockLength: number,
  replicates: number,
  rng: SeededRng,
  confidence = 0.95,
): {
  readonly mean: number;
  readonly lo: number | null;
  readonly hi: number | null;
  readonly se: number | null;
} | null {
  if (x.length === 0) return null;
  const resampler = new CircularBlockResampler([x], blockLength);
  const totals = new Float64Array(1);
  const reps = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    resampler.draw(rng, totals);
    reps[r] = totals[0] / x.length;
  }
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  const s = summarizeReplicates(reps, confidence);
  return { mean, lo: s.lo, hi: s.hi, se: s.se };
}
