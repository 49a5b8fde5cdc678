// Statistics of post-action validation: Student t quantiles, Welch's interval for a difference of means,
// and the exact conditional test for a rise of a Poisson rate (rejects per share, HW errors per second).

import { mean, sampleVariance } from '../../kernel/stats/index.ts';

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error < 1e-14). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
    12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0];
  for (let i = 1; i < 9; i++) sum += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b), x in [0, 1], a, b > 0. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaFraction(x, a, b)) / a;
  return 1 - (Math.exp(lnFront) * betaFraction(1 - x, b, a)) / b;
}

/** P(T ≤ t) for Student's t with `df` > 0 degrees of freedom (df need not be an integer). */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The t with P(T ≤ t) = p, p in (0, 1) (bisection to 1e-12 on the CDF). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return Number.NaN;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

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

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return regularizedBeta(p, k, n - k + 1);
}

/** Counts over exposures before and after an action, and the one-sided p-value of a rise. */
export interface RateRise {
  readonly countPre: number;
  readonly exposurePre: number;
  readonly countPost: number;
  readonly exposurePost: number;
  /** Counts per unit of exposure; null without exposure. */
  readonly ratePre: number | null;
  readonly ratePost: number | null;
  /** P(at least countPost of the countPre + countPost events fall after) under equal rates; 1 when no events. */
  readonly pValue: number;
}

/**
 * Exact conditional test of H0 "the Poisson rate did not change" against "it rose": given the total
 * count, the post-action count is Binomial(total, exposurePost / (exposurePre + exposurePost)).
 * Exposures: shares for a reject share, seconds for an error rate.
 */
export function rateRiseTest(
  countPre: number,
  exposurePre: number,
  countPost: number,
  exposurePost: number,
): RateRise {
  const ratePre = exposurePre > 0 ? countPre / exposurePre : null;
  const ratePost = exposurePost > 0 ? countPost / exposurePost : null;
  const total = countPre + countPost;
  const exposure = exposurePre + exposurePost;
  const pValue =
    total === 0 || exposurePost <= 0 || exposure <= 0
      ? 1
      : binomialUpperTail(countPost, total, exposurePost / exposure);
  return { countPre, exposurePre, countPost, exposurePost, ratePre, ratePost, pValue };
}
