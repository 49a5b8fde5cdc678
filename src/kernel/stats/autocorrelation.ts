// Autocorrelation of a sample series: autocovariances, the flat-top long-run variance, the effective
// sample size and Politis–White's automatic block length for the circular block bootstrap.

/**
 * Autocovariances R(0..maxLag) of one or several series (each demeaned by its own mean, products
 * summed within a series only, divided by the total length): pooling phases without bridging them.
 */
export function autocovariances(series: readonly (readonly number[])[], maxLag: number): number[] {
  let total = 0;
  const centred = series.map((x) => {
    let m = 0;
    for (const v of x) m += v;
    m = x.length > 0 ? m / x.length : 0;
    total += x.length;
    return x.map((v) => v - m);
  });
  const out = new Array<number>(maxLag + 1).fill(0);
  if (total === 0) return out;
  for (const x of centred)
    for (let k = 0; k <= maxLag && k < x.length; k++) {
      let acc = 0;
      for (let i = k; i < x.length; i++) acc += x[i] * x[i - k];
      out[k] += acc;
    }
  return out.map((v) => v / total);
}

/** The flat-top (trapezoid) lag window of Politis & Romano: 1 to |t| = ½, then linear to 0 at 1. */
function flatTop(t: number): number {
  const a = Math.abs(t);
  return a <= 0.5 ? 1 : a <= 1 ? 2 * (1 - a) : 0;
}

/** What the autocorrelation of a series implies for resampling and for its mean. */
export interface AutocorrelationSummary {
  /** Total length n (over all series). */
  readonly n: number;
  /** Sample variance R(0) (divisor n). */
  readonly variance: number;
  /** Bandwidth M of the flat-top window (0 = no significant autocorrelation). */
  readonly bandwidth: number;
  /** Integrated autocorrelation time τ = long-run variance / variance, at least 1. */
  readonly tau: number;
  /** Politis–White (2004, with the 2009 correction) block length for the circular bootstrap, ≥ 1. */
  readonly blockLength: number;
}

/**
 * Politis & White (2004; Patton, Politis & White 2009) automatic block length for the circular block
 * bootstrap, computed from the pooled autocovariances of `series` (e.g. the phases of one study,
 * demeaned separately). Also returns τ: n / τ is the effective sample size of the mean.
 * Every series should be finite; an empty input gives n 0, τ 1, block length 1.
 */
export function summarizeAutocorrelation(series: readonly (readonly number[])[]): AutocorrelationSummary {
  const n = series.reduce((s, x) => s + x.length, 0);
  const shortest = series.reduce((s, x) => Math.min(s, x.length), Number.POSITIVE_INFINITY);
  if (n < 3 || !Number.isFinite(shortest)) return { n, variance: 0, bandwidth: 0, tau: 1, blockLength: 1 };
  const kn = Math.max(5, Math.ceil(Math.sqrt(Math.log10(n))));
  const mMax = Math.min(Math.ceil(Math.sqrt(n)) + kn, Math.max(1, shortest - 1));
  const r = autocovariances(series, mMax);
  const r0 = r[0];
  if (!(r0 > 0)) return { n, variance: 0, bandwidth: 0, tau: 1, blockLength: 1 };
  const threshold = 2 * Math.sqrt(Math.log10(n) / n);
  // Smallest m after which kn consecutive autocorrelations are insignificant.
  let mHat = mMax;
  for (let m = 0; m + kn <= mMax; m++) {
    let quiet = true;
    for (let j = 1; j <= kn; j++)
      if (Math.abs(r[m + j] / r0) >= threshold) {
        quiet = false;
        break;
      }
    if (quiet) {
      mHat = m;
      break;
    }
  }
  const bandwidth = Math.min(2 * mHat, mMax);
  let g = r0;
  let gWeighted = 0;
  for (let k = 1; k <= bandwidth; k++) {
    const w = flatTop(k / bandwidth);
    g += 2 * w * r[k];
    gWeighted += 2 * w * k * r[k];
  }
  // A flat-top estimate can dip below the variance (or 0) for anti-correlated noise: τ is floored at 1.
  const tau = Math.min(n, Math.max(1, g / r0));
  const gPos = Math.max(g, r0 * 1e-6);
  const dCb = (4 / 3) * gPos * gPos;
  const raw = bandwidth === 0 ? 1 : ((2 * gWeighted * gWeighted) / dCb) ** (1 / 3) * n ** (1 / 3);
  const cap = Math.max(1, Math.ceil(Math.min(3 * Math.sqrt(n), shortest / 3)));
  const blockLength = Math.max(1, Math.min(cap, Math.round(raw)));
  return { n, variance: r0, bandwidth, tau, blockLength };
}
