// Drift adjustment: OLS of the per-row metric on phase indicators + the centred inlet covariate (and
// optionally a centred time trend), solved from per-phase moment sums so the bootstrap can resample them.

import { solveLinearSystem } from '../../kernel/stats/index.ts';
import type { PhaseSeries } from './series.ts';
import type { AbaMetric } from './types.ts';

/** Everything the replicates need: per-phase moment columns and the centring. */
export interface AdjustmentSetup {
  readonly trend: boolean;
  /** 1: linear in the covariate; 2: also its square (a curved response, e.g. fan power ∝ speed³). */
  readonly degree: 1 | 2;
  readonly centreC: number;
  readonly centreT: number;
  /** Per phase (A1, B, A2), one column per moment (see `momentCount`), each the length of the phase. */
  readonly columns: readonly (readonly Float64Array[])[];
  /** Pooled within-phase standard deviation of the covariate. */
  readonly withinSd: number;
}

/** Phase levels (at the mean covariate and time), covariate slope there and trend slope (per hour). */
export interface AdjustedFit {
  readonly levels: readonly [number, number, number];
  readonly slope: number;
  readonly trendPerH: number | null;
  /** Slopes of every regressor (c, c², t as present), for residuals. */
  readonly slopes: readonly number[];
}

/** Regressors besides the phase indicators: c, then c² (degree 2), then t (trend). */
function regressorCount(degree: 1 | 2, trend: boolean): number {
  return degree + (trend ? 1 : 0);
}

/**
 * Moment columns per row for q regressors z: 1, z_j (q), z_j·z_k for j ≤ k, y, z_j·y (q).
 * Their per-phase sums are all the normal equations need.
 */
export function momentCount(degree: 1 | 2, trend: boolean): number {
  const q = regressorCount(degree, trend);
  return 2 + 2 * q + (q * (q + 1)) / 2;
}

function moments(z: readonly number[], y: number, out: number[]): void {
  out.length = 0;
  out.push(1, ...z);
  for (let j = 0; j < z.length; j++) for (let k = j; k < z.length; k++) out.push(z[j] * z[k]);
  out.push(y);
  for (const v of z) out.push(v * y);
}

/**
 * Builds the moment columns of `metric` over the three phases (in A1, B, A2 order), or says why the
 * adjustment cannot be made: a missing phase, too few rows with both values, or a covariate that
 * barely moves within phases (its slope would then be unidentifiable from the phase effect).
 */
export function prepareAdjustment(
  series: readonly PhaseSeries[],
  metric: AbaMetric,
  trend: boolean,
  degree: 1 | 2,
  minWithinSd: number,
  covariateName: string,
): AdjustmentSetup | { readonly reason: string } {
  if (series.length !== 3) return { reason: 'no drift adjustment: a phase is missing' };
  let sumC = 0;
  let sumT = 0;
  let count = 0;
  for (const s of series) {
    const y = s.metrics[metric].y;
    for (let i = 0; i < y.length; i++)
      if (Number.isFinite(y[i]) && Number.isFinite(s.covariate[i])) {
        sumC += s.covariate[i];
        sumT += s.timeH[i];
        count++;
      }
  }
  if (count === 0)
    return { reason: `no drift adjustment: no rows with both ${covariateName} and the metric` };
  const centreC = sumC / count;
  const centreT = sumT / count;
  let within = 0;
  const columns: Float64Array[][] = [];
  for (const s of series) {
    const y = s.metrics[metric].y;
    const n = y.length;
    const cols = Array.from({ length: momentCount(degree, trend) }, () => new Float64Array(n));
    const m: number[] = [];
    let rows = 0;
    let sc = 0;
    let scc = 0;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(y[i]) || !Number.isFinite(s.covariate[i])) continue;
      const c = s.covariate[i] - centreC;
      const t = s.timeH[i] - centreT;
      const z = degree === 2 ? [c, c * c] : [c];
      if (trend) z.push(t);
      moments(z, y[i], m);
      for (let j = 0; j < cols.length; j++) cols[j][i] = m[j];
      rows++;
      sc += c;
      scc += c * c;
    }
    if (rows < 10)
      return {
        reason: `no drift adjustment: phase ${s.phase} has ${rows} rows with ${covariateName} (need ≥ 10)`,
      };
    within += scc - (sc * sc) / rows;
    columns.push(cols);
  }
  const withinSd = Math.sqrt(within / Math.max(1, count - 3));
  if (!(withinSd >= minWithinSd))
    return {
      reason: `no drift adjustment: ${covariateName} barely varies within phases (SD ${withinSd.toPrecision(2)}, need ≥ ${minWithinSd})`,
    };
  return { trend, degree, centreC, centreT, columns, withinSd };
}

/**
 * Solves the normal equations from per-phase moment totals (`totals[p][offset + j]`, moments in
 * `momentCount` order): unknowns are the three phase levels then the regressor slopes. Null when
 * the system is singular.
 */
export function solveAdjusted(
  totals: readonly Float64Array[],
  offset: number,
  degree: 1 | 2,
  trend: boolean,
): AdjustedFit | null {
  const q = regressorCount(degree, trend);
  const p = 3 + q;
  const a = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  for (let ph = 0; ph < 3; ph++) {
    let i = offset;
    const next = () => totals[ph][i++];
    a[ph][ph] = next();
    for (let j = 0; j < q; j++) a[ph][3 + j] = a[3 + j][ph] = next();
    for (let j = 0; j < q; j++)
      for (let k = j; k < q; k++) {
        const v = next();
        a[3 + j][3 + k] += v;
        if (k !== j) a[3 + k][3 + j] += v;
      }
    b[ph] = next();
    for (let j = 0; j < q; j++) b[3 + j] += next();
  }
  const x = solveLinearSystem(a, b);
  if (x === null) return null;
  return { levels: [x[0], x[1], x[2]], slope: x[3], trendPerH: trend ? x[p - 1] : null, slopes: x.slice(3) };
}

/**
 * Residuals of the fit per phase (0 on rows without y or covariate), from the moment columns:
 * column 0 is the row indicator, 1..q the regressors, and y follows the cross products.
 */
export function residuals(setup: AdjustmentSetup, fit: AdjustedFit): number[][] {
  const q = regressorCount(setup.degree, setup.trend);
  const yAt = 1 + q + (q * (q + 1)) / 2;
  return setup.columns.map((cols, ph) =>
    Array.from(cols[0], (w, i) => {
      if (w === 0) return 0;
      let fitted = fit.levels[ph];
      for (let j = 0; j < q; j++) fitted += fit.slopes[j] * cols[1 + j][i];
      return cols[yAt][i] - fitted;
    }),
  );
}
