// Random-effects combination of per-unit estimates (devices of a study): DerSimonian–Laird τ² with the
// Hartung–Knapp–Sidik–Jonkman interval, which stays honest with few units (t with k − 1 df).

import { normalQuantile, studentTQuantile } from './special.ts';

/** A combined estimate with its interval and heterogeneity. */
export interface RandomEffectsResult {
  readonly estimate: number;
  readonly lo: number;
  readonly hi: number;
  readonly se: number;
  /** Units combined. */
  readonly k: number;
  /** Between-unit variance (DerSimonian–Laird, ≥ 0), Cochran's Q and I² (0..1). */
  readonly tau2: number;
  readonly q: number;
  readonly i2: number;
}

/**
 * Combines estimates `y` with sampling variances `v` (> 0; non-finite pairs are skipped) at two-sided
 * `confidence`. One unit: its own normal interval. Several: DL weights 1 / (v + τ²) and the HKSJ
 * standard error, floored at the DL one (the modified HKSJ: never narrower than DL), with t(k − 1).
 * Null when no usable unit remains.
 */
export function combineRandomEffects(
  y: readonly number[],
  v: readonly number[],
  confidence = 0.95,
): RandomEffectsResult | null {
  const ys: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < y.length; i++)
    if (Number.isFinite(y[i]) && Number.isFinite(v[i]) && v[i] > 0) {
      ys.push(y[i]);
      vs.push(v[i]);
    }
  const k = ys.length;
  if (k === 0) return null;
  if (k === 1) {
    const se = Math.sqrt(vs[0]);
    const z = normalQuantile(0.5 + confidence / 2);
    return { estimate: ys[0], lo: ys[0] - z * se, hi: ys[0] + z * se, se, k, tau2: 0, q: 0, i2: 0 };
  }
  const w = vs.map((x) => 1 / x);
  const sw = w.reduce((s, x) => s + x, 0);
  const fixed = w.reduce((s, x, i) => s + x * ys[i], 0) / sw;
  const q = w.reduce((s, x, i) => s + x * (ys[i] - fixed) ** 2, 0);
  const c = sw - w.reduce((s, x) => s + x * x, 0) / sw;
  const tau2 = c > 0 ? Math.max(0, (q - (k - 1)) / c) : 0;
  const ws = vs.map((x) => 1 / (x + tau2));
  const sws = ws.reduce((s, x) => s + x, 0);
  const estimate = ws.reduce((s, x, i) => s + x * ys[i], 0) / sws;
  const hk = ws.reduce((s, x, i) => s + x * (ys[i] - estimate) ** 2, 0) / ((k - 1) * sws);
  const se = Math.sqrt(Math.max(hk, 1 / sws));
  const t = studentTQuantile(0.5 + confidence / 2, k - 1);
  const i2 = q > k - 1 && q > 0 ? (q - (k - 1)) / q : 0;
  return { estimate, lo: estimate - t * se, hi: estimate + t * se, se, k, tau2, q, i2 };
}
