// One metric on one device: phase means, B − mean(A1, A2), A2 − A1 and the drift-adjusted effect, all
// from one circular block bootstrap per phase (shared draws), block length from the autocorrelation.

import {
  CircularBlockResampler,
  type SeededRng,
  summarizeAutocorrelation,
  summarizeReplicates,
} from '../../kernel/stats/index.ts';
import { type AdjustmentSetup, prepareAdjustment } from './adjust.ts';
import { estimateAdjusted } from './adjusted-effect.ts';
import { fin, interval, makeEffect, pctOf } from './effect-math.ts';
import type { PhaseSeries } from './series.ts';
import type { AbaMetric, AdjustedEffect, CarryOver, EffectEstimate, Estimate, PhaseStat } from './types.ts';

/** Settings of one metric's estimation. */
export interface EstimateSettings {
  readonly confidence: number;
  readonly replicates: number;
  /** Fixed block length; undefined = Politis–White from the data. */
  readonly blockLength?: number;
  /** Adjust on the covariate (false for rates and for the covariate itself). */
  readonly adjust: boolean;
  readonly timeTrend: boolean;
  readonly covariateDegree: 1 | 2;
  readonly minCovariateSd: number;
  readonly covariateName: string;
}

export interface MetricEstimate {
  readonly phases: PhaseStat[];
  readonly effect: EffectEstimate | null;
  readonly carryOver: CarryOver | null;
  readonly adjusted: AdjustedEffect | null;
  readonly blockLength: number | null;
  readonly notes: string[];
}

const ratio = (num: number, den: number): number => (den > 0 ? num / den : Number.NaN);

/** Runs the bootstrap of `metric` over the phases present (in A1, B, A2 order). */
export function estimateMetric(
  series: readonly PhaseSeries[],
  metric: AbaMetric,
  settings: EstimateSettings,
  rng: SeededRng,
): MetricEstimate {
  const notes: string[] = [];
  const cols = series.map((s) => s.metrics[metric]);
  const points = cols.map((c) => ratio(sum(c.num), sum(c.den)));
  const present = cols.map((c, i) => c.n > 0 && Number.isFinite(points[i]));
  if (!present.some(Boolean))
    return { phases: [], effect: null, carryOver: null, adjusted: null, blockLength: null, notes };
  // Influence series of a ratio of sums: num − R·den (for a mean: the demeaned values).
  const influence = cols.map((c, i) =>
    Array.from(c.num, (v, j) => (present[i] ? v - points[i] * c.den[j] : 0)),
  );
  const ac = summarizeAutocorrelation(influence.filter((_, i) => present[i]));
  const blockLength = settings.blockLength ?? ac.blockLength;
  const nEff = cols.map((c) => (c.n >= 3 ? Math.min(c.n, c.n / ac.tau) : null));

  let setup: AdjustmentSetup | null = null;
  if (settings.adjust && series.length === 3) {
    const s = prepareAdjustment(
      series,
      metric,
      settings.timeTrend,
      settings.covariateDegree,
      settings.minCovariateSd,
      settings.covariateName,
    );
    if ('reason' in s) notes.push(s.reason);
    else setup = s;
  }
  const resamplers = cols.map((c) => new CircularBlockResampler([c.num, c.den], blockLength));
  const totals = cols.map(() => new Float64Array(2));
  const reps = settings.replicates;
  const phaseReps = cols.map(() => new Float64Array(reps));
  const full = series.length === 3 && present.every(Boolean);
  const effectReps = new Float64Array(reps);
  const pctReps = new Float64Array(reps);
  const carryReps = new Float64Array(reps);
  const carryPctReps = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < cols.length; i++) {
      resamplers[i].draw(rng, totals[i]);
      phaseReps[i][r] = ratio(totals[i][0], totals[i][1]);
    }
    if (!full) continue;
    const [a1, b, a2] = [phaseReps[0][r], phaseReps[1][r], phaseReps[2][r]];
    const base = (a1 + a2) / 2;
    effectReps[r] = b - base;
    pctReps[r] = pctOf(b - base, base);
    carryReps[r] = a2 - a1;
    carryPctReps[r] = pctOf(a2 - a1, a1);
  }
  const phases: PhaseStat[] = series.map((s, i) => {
    const se = present[i] ? summarizeReplicates(phaseReps[i], settings.confidence).se : null;
    const e = interval(points[i], se, (nEff[i] ?? 2) - 1, settings.confidence);
    return { phase: s.phase, ...e, n: cols[i].n, n_eff: fin(nEff[i] ?? Number.NaN) };
  });
  if (!full) {
    notes.push('no effect: a phase is missing or has no values');
    return { phases, effect: null, carryOver: null, adjusted: null, blockLength, notes };
  }
  const df = Math.min(...nEff.map((x) => x ?? 2)) - 1;
  const n = { A1: cols[0].n, B: cols[1].n, A2: cols[2].n };
  const base = (points[0] + points[2]) / 2;
  const effect = makeEffect(points[1] - base, base, effectReps, pctReps, df, settings.confidence, n);
  const carry = summarizeReplicates(carryReps, settings.confidence).se;
  const carryEst = interval(points[2] - points[0], carry, df, settings.confidence);
  const carryPct = interval(
    pctOf(points[2] - points[0], points[0]),
    summarizeReplicates(carryPctReps, settings.confidence).se,
    df,
    settings.confidence,
  );
  const carryOver: CarryOver = {
    ...carryEst,
    pct: carryPct.value === null ? null : carryPct,
    flagged: excludesZero(carryEst),
  };
  let adjusted: AdjustedEffect | null = null;
  if (setup !== null) {
    adjusted = estimateAdjusted(
      setup,
      metric,
      settings.covariateName,
      settings.confidence,
      reps,
      settings.blockLength,
      n,
      rng,
    );
    if (adjusted === null) notes.push('no drift adjustment: the regression is singular');
  }
  return { phases, effect, carryOver, adjusted, blockLength, notes };
}

/** True when the interval exists and does not contain 0. */
export function excludesZero(e: Estimate): boolean {
  return e.lo !== null && e.hi !== null && (e.lo > 0 || e.hi < 0);
}

function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}
