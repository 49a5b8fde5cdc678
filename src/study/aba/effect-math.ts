// Shared arithmetic of effects: t intervals from a bootstrap SE, relative effects, the minimum
// detectable effect; used by the raw and the drift-adjusted estimates alike.

import { normalQuantile, studentTQuantile, summarizeReplicates } from '../../kernel/stats/index.ts';
import type { EffectEstimate, Estimate } from './types.ts';

export const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** value ± t(df) · se, or an interval-less estimate when se is unknown. */
export function interval(value: number, se: number | null, df: number, confidence: number): Estimate {
  const v = fin(value);
  if (v === null || se === null || !Number.isFinite(se)) return { value: v, lo: null, hi: null };
  const t = studentTQuantile(0.5 + confidence / 2, Math.max(1, df));
  return { value: v, lo: v - t * se, hi: v + t * se };
}

export function pctOf(effect: number, base: number): number {
  return base !== 0 ? (100 * effect) / base : Number.NaN;
}

export function makeEffect(
  value: number,
  base: number,
  reps: Float64Array,
  pctReps: Float64Array,
  df: number,
  confidence: number,
  n: EffectEstimate['n'],
): EffectEstimate {
  const se = summarizeReplicates(reps, confidence).se;
  const est = interval(value, se, df, confidence);
  const pctSe = summarizeReplicates(pctReps, confidence).se;
  const pct = interval(pctOf(value, base), pctSe, df, confidence);
  const power = normalQuantile(0.5 + confidence / 2) + normalQuantile(0.8);
  const mde = se === null ? null : fin(power * se);
  const mdePct = mde === null || base === 0 ? null : fin((100 * mde) / Math.abs(base));
  return {
    ...est,
    se: se === null ? null : fin(se),
    baseline: fin(base),
    pct: pct.value === null ? null : pct,
    pct_se: pct.value === null || pctSe === null ? null : fin(pctSe),
    mde,
    mde_pct: mdePct,
    n,
  };
}
