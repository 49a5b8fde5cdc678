// The drift-adjusted effect of one metric: the regression of adjust.ts bootstrapped with its own
// circular blocks, sized from the residuals' autocorrelation (the drift itself is not noise).

import {
  CircularBlockResampler,
  type SeededRng,
  summarizeAutocorrelation,
  summarizeReplicates,
} from '../../kernel/stats/index.ts';
import { type AdjustmentSetup, residuals, solveAdjusted } from './adjust.ts';
import { interval, makeEffect, pctOf } from './effect-math.ts';
import type { AbaMetric, AdjustedEffect, EffectEstimate } from './types.ts';

/** Bootstraps the adjusted effect; null when the regression is singular on the full data. */
export function estimateAdjusted(
  setup: AdjustmentSetup,
  metric: AbaMetric,
  covariateName: string,
  confidence: number,
  replicates: number,
  fixedBlockLength: number | undefined,
  n: EffectEstimate['n'],
  rng: SeededRng,
): AdjustedEffect | null {
  const sums = setup.columns.map((cols) => Float64Array.from(cols.map(sum)));
  const fit = solveAdjusted(sums, 0, setup.degree, setup.trend);
  if (fit === null) return null;
  const res = residuals(setup, fit);
  const ac = summarizeAutocorrelation(res);
  const blockLength = fixedBlockLength ?? ac.blockLength;
  const rows = setup.columns.map((cols) => cols[0].reduce((a, b) => a + b, 0));
  const nEff = rows.map((x) => Math.min(x, x / ac.tau));
  const df = Math.min(...nEff) - 1;
  const resamplers = setup.columns.map((cols) => new CircularBlockResampler(cols, blockLength));
  const totals = setup.columns.map((cols) => new Float64Array(cols.length));
  const reps = Array.from({ length: 6 }, () => new Float64Array(replicates));
  for (let r = 0; r < replicates; r++) {
    for (let i = 0; i < 3; i++) resamplers[i].draw(rng, totals[i]);
    const f = solveAdjusted(totals, 0, setup.degree, setup.trend);
    const lv = f?.levels ?? [Number.NaN, Number.NaN, Number.NaN];
    const base = (lv[0] + lv[2]) / 2;
    reps[0][r] = lv[1] - base;
    reps[1][r] = pctOf(lv[1] - base, base);
    reps[2][r] = lv[2] - lv[0];
    reps[3][r] = f?.slope ?? Number.NaN;
    reps[4][r] = f?.trendPerH ?? Number.NaN;
  }
  const [l1, lb, l2] = fit.levels;
  const base = (l1 + l2) / 2;
  const se = (k: number) => summarizeReplicates(reps[k], confidence).se;
  const square = setup.degree === 2 ? ' and its square' : '';
  const trend = setup.trend ? ' + centred time' : '';
  return {
    ...makeEffect(lb - base, base, reps[0], reps[1], df, confidence, n),
    covariate_slope: interval(fit.slope, se(3), df, confidence),
    trend_slope_per_h: fit.trendPerH === null ? null : interval(fit.trendPerH, se(4), df, confidence),
    carry_over: interval(l2 - l1, se(2), df, confidence),
    n_eff: { A1: nEff[0], B: nEff[1], A2: nEff[2] },
    block_length: blockLength,
    model: `OLS of per-sample ${metric} on A1/B/A2 indicators + centred ${covariateName}${square}${trend}; levels at the mean covariate; block-bootstrap SE (blocks sized on the residuals)`,
  };
}

function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}
