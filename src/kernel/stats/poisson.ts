// Exact conditional tests of Poisson rates (rejects per share, HW errors per hour): the one-sided
// rise test of post-action validation and the two-sided A-vs-B test with a rate-ratio interval.

import { RigtuneError } from '../../core/errors.ts';
import { binomialLowerTail, binomialUpperTail, clopperPearson } from './special.ts';

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

/** Two Poisson counts compared both ways: rate ratio B/A with its exact interval and a two-sided p. */
export interface RateComparison {
  readonly countA: number;
  readonly exposureA: number;
  readonly countB: number;
  readonly exposureB: number;
  /** Counts per unit of exposure; null without exposure. */
  readonly rateA: number | null;
  readonly rateB: number | null;
  /** rateB / rateA; null when rateA is 0 or missing. */
  readonly ratio: number | null;
  /** Exact conditional interval of the ratio; `hi` null when unbounded (no events in A). */
  readonly ratioLo: number | null;
  readonly ratioHi: number | null;
  /** Two-sided p of H0 "equal rates": 2 × the smaller conditional binomial tail, at most 1. */
  readonly pValue: number;
}

/**
 * Exact conditional comparison of two Poisson rates: given the total count, countB is
 * Binomial(total, exposureB / (exposureA + exposureB)) under equal rates. The rate-ratio interval maps
 * the Clopper–Pearson interval of that proportion π through (π / (1 − π)) × exposureA / exposureB.
 * Counts must be non-negative integers and exposures ≥ 0 (else RT_KERNEL_ARGUMENT).
 */
export function compareRates(
  countA: number,
  exposureA: number,
  countB: number,
  exposureB: number,
  confidence = 0.95,
): RateComparison {
  for (const c of [countA, countB])
    if (!Number.isInteger(c) || c < 0)
      throw new RigtuneError('RT_KERNEL_ARGUMENT', `compareRates: counts must be integers >= 0, got ${c}`);
  if (!(exposureA >= 0) || !(exposureB >= 0))
    throw new RigtuneError('RT_KERNEL_ARGUMENT', 'compareRates: exposures must be >= 0');
  const rateA = exposureA > 0 ? countA / exposureA : null;
  const rateB = exposureB > 0 ? countB / exposureB : null;
  const ratio = rateA !== null && rateB !== null && rateA > 0 ? rateB / rateA : null;
  const total = countA + countB;
  if (total === 0 || exposureA <= 0 || exposureB <= 0)
    return {
      countA,
      exposureA,
      countB,
      exposureB,
      rateA,
      rateB,
      ratio,
      ratioLo: null,
      ratioHi: null,
      pValue: 1,
    };
  const p0 = exposureB / (exposureA + exposureB);
  const upper = binomialUpperTail(countB, total, p0);
  const lower = binomialLowerTail(countB, total, p0);
  const pValue = Math.min(1, 2 * Math.min(upper, lower));
  const cp = clopperPearson(countB, total, confidence) as { lo: number; hi: number };
  const scale = exposureA / exposureB;
  const ratioLo = (cp.lo / (1 - cp.lo)) * scale;
  const ratioHi = cp.hi >= 1 ? null : (cp.hi / (1 - cp.hi)) * scale;
  return { countA, exposureA, countB, exposureB, rateA, rateB, ratio, ratioLo, ratioHi, pValue };
}
