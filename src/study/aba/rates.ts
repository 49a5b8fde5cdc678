// Share-count rates (rejects per share, HW errors per hour) compared B against A1 + A2 with the exact
// conditional Poisson test; the counts come from counter deltas with resets and gaps dropped.

import { compareRates } from '../../kernel/stats/index.ts';
import type { PhaseSeries } from './series.ts';
import type { RateTest } from './types.ts';

/** Events and exposure of a rate, summed per phase group. */
export interface RateCounts {
  readonly countA: number;
  readonly exposureA: number;
  readonly countB: number;
  readonly exposureB: number;
}

const fin = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null);

/** Sums the rate metric's numerator (events) and denominator (exposure) over A1 + A2 and over B. */
export function rateCounts(
  series: readonly PhaseSeries[],
  metric: 'reject_rate' | 'hw_error_rate_per_h',
): RateCounts | null {
  if (series.length !== 3) return null;
  const sums = series.map((s) => {
    const c = s.metrics[metric];
    let num = 0;
    let den = 0;
    for (let i = 0; i < c.num.length; i++) {
      num += c.num[i];
      den += c.den[i];
    }
    return { num, den };
  });
  return {
    countA: sums[0].num + sums[2].num,
    exposureA: sums[0].den + sums[2].den,
    countB: sums[1].num,
    exposureB: sums[1].den,
  };
}

/** Adds counts over devices (the pooled test); null when none. */
export function addCounts(list: readonly (RateCounts | null)[]): RateCounts | null {
  const present = list.filter((x): x is RateCounts => x !== null);
  if (present.length === 0) return null;
  return present.reduce((a, b) => ({
    countA: a.countA + b.countA,
    exposureA: a.exposureA + b.exposureA,
    countB: a.countB + b.countB,
    exposureB: a.exposureB + b.exposureB,
  }));
}

/**
 * The exact conditional test B vs A as JSON. Counter deltas are whole events; a fractional total
 * (a counter of weighted shares) is rounded. Null without exposure in either group.
 */
export function rateTest(
  counts: RateCounts | null,
  unit: 'shares' | 'hours',
  confidence: number,
): RateTest | null {
  if (counts === null || !(counts.exposureA > 0) || !(counts.exposureB > 0)) return null;
  const r = compareRates(
    Math.round(counts.countA),
    counts.exposureA,
    Math.round(counts.countB),
    counts.exposureB,
    confidence,
  );
  return {
    count_a: r.countA,
    exposure_a: r.exposureA,
    count_b: r.countB,
    exposure_b: r.exposureB,
    rate_a: fin(r.rateA),
    rate_b: fin(r.rateB),
    rate_ratio: { value: fin(r.ratio), lo: fin(r.ratioLo), hi: fin(r.ratioHi) },
    p_value: r.pValue,
    exposure_unit: unit,
  };
}
