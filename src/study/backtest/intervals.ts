// Uncertainty of backtest figures: the exact (Garwood) Poisson interval of an event count, and the
// quartiles of a lead-time sample. Pure numerics, no dependencies beyond core.

/** A two-sided interval, lower ≤ upper, in the unit of the figure it belongs to. */
export type Ci = readonly [number, number];

const EPS = 1e-14;

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; |error| < 1e-13 over the range used here). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i += 1) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised lower incomplete gamma P(a, x), a > 0, x ≥ 0 (series below a + 1, continued fraction above). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lead = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n += 1) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return Math.min(1, sum * Math.exp(lead));
  }
  // Lentz's continued fraction for Q(a, x).
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.max(0, 1 - Math.exp(lead) * h);
}

/** x with P(a, x) = p (bisection on a bracket that doubles; 1e-12 relative). */
function gammaQuantile(p: number, a: number): number {
  let lo = 0;
  let hi = Math.max(1, a);
  while (gammaP(a, hi) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i += 1) {
    const mid = (lo + hi) / 2;
    if (gammaP(a, mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Exact two-sided Poisson interval of the mean for `count` observed events (Garwood): lower =
 * Gamma⁻¹(α/2; k), upper = Gamma⁻¹(1 − α/2; k + 1), lower 0 when k = 0. `level` 0.95 by default.
 * Divide by the exposure (device-days) for a rate interval.
 */
export function poissonInterval(count: number, level = 0.95): Ci {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`poissonInterval: count ${count}`);
  const alpha = 1 - level;
  const lower = count === 0 ? 0 : gammaQuantile(alpha / 2, count);
  return [lower, gammaQuantile(1 - alpha / 2, count + 1)];
}

/** Quantile by linear interpolation between order statistics (R type 7, numpy's default); null if empty. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/** Summary of a sample of durations (seconds): n, quartiles, range, and the values ascending. */
export interface Distribution {
  readonly n: number;
  readonly median: number | null;
  readonly q1: number | null;
  readonly q3: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly values: readonly number[];
}

/** The distribution of `values` (any order). */
export function distributionOf(values: readonly number[]): Distribution {
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length,
    median: quantile(s, 0.5),
    q1: quantile(s, 0.25),
    q3: quantile(s, 0.75),
    min: s.length > 0 ? s[0] : null,
    max: s.length > 0 ? s[s.length - 1] : null,
    values: s,
  };
}
