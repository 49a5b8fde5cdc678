// Welch's interval for a difference of two means with unequal variances (post-action validation,
// moved here from control/autotune so study and control share one implementation).

import { studentTQuantile } from './special.ts';
import { mean, sampleVariance } from './summary.ts';

/** A difference of means `b − a` with its two-sided confidence interval. */
export interface MeanDifference {
  readonly meanA: number;
  readonly meanB: number;
  readonly diff: number;
  readonly lo: number;
  readonly hi: number;
  /** Welch–Satterthwaite degrees of freedom (Infinity when both variances are 0). */
  readonly df: number;
}

/**
 * Welch's interval for mean(b) − mean(a) at `confidence` (two-sided), for samples that may differ in
 * size and variance. Each sample needs at least 2 values; otherwise null.
 */
export function welchInterval(
  a: readonly number[],
  b: readonly number[],
  confidence: number,
): MeanDifference | null {
  if (a.length < 2 || b.length < 2) return null;
  // Both have at least 2 values, so neither statistic is null.
  const meanA = mean(a) as number;
  const meanB = mean(b) as number;
  const va = (sampleVariance(a) as number) / a.length;
  const vb = (sampleVariance(b) as number) / b.length;
  const diff = meanB - meanA;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { meanA, meanB, diff, lo: diff, hi: diff, df: Number.POSITIVE_INFINITY };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const half = studentTQuantile(0.5 + confidence / 2, df) * se;
  return { meanA, meanB, diff, lo: diff - half, hi: diff + half, df };
}
