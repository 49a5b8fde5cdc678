// The simulator's ground truth for one tuned device: noise-free steady-state efficiency at stock, at the
// final power limit and at the true optimum (a dense sweep of the model, never the optimizer's view).

import { AutotuneOptionsSchema } from '../../src/control/autotune/index.ts';
import { steadyStateCurve } from '../../src/sim/index.ts';
import { allowedRange } from './guard-audit.ts';
import type { DeviceRun } from './runner.ts';

/** Efficiencies in H/J (the controller's measure: hash rate over board or wall power). */
export interface Truth {
  readonly stockW: number;
  readonly stockEff: number;
  readonly finalW: number;
  readonly finalEff: number;
  readonly optimumW: number;
  readonly optimumEff: number;
  /** Efficiency at a power limit, interpolated on the sweep (for time-to-2 % of visited limits). */
  readonly at: (limitW: number) => number;
}

/**
 * Sweeps the power limit over configured ∩ device bounds: coarse (1 % of the range), then every
 * `fine` W around the best coarse point, at the device's final other settings and current faults.
 */
export function truthFor(d: DeviceRun): Truth {
  const limits = d.control?.limits.power_limit_w;
  if (limits === undefined) throw new Error(`${d.id}: no power limit`);
  const o = AutotuneOptionsSchema.parse(d.plan.autotune);
  const b = allowedRange(limits, o.bounds.power_limit_w);
  const fine = b.max - b.min > 1000 ? 5 : 1;
  const coarse = Math.max(fine, Math.round((b.max - b.min) / 100));
  const grid: number[] = [];
  for (let w = b.min; w <= b.max + 1e-9; w += coarse) grid.push(w);
  if (grid.at(-1) !== b.max) grid.push(b.max);
  const points = new Map<number, number>();
  const sweep = (ws: readonly number[]) => {
    const todo = ws.filter((w) => !points.has(w));
    for (const p of steadyStateCurve(d.fleet, d.rig, d.device, todo))
      points.set(p.powerLimitW, p.efficiencyHPerJ);
  };
  sweep(grid);
  const bestCoarse = [...points].reduce((a, x) => (x[1] > a[1] ? x : a));
  const around: number[] = [];
  for (let w = bestCoarse[0] - 2 * coarse; w <= bestCoarse[0] + 2 * coarse; w += fine)
    if (w >= b.min && w <= b.max) around.push(w);
  sweep(around);
  const [optimumW, optimumEff] = [...points].reduce((a, x) => (x[1] > a[1] ? x : a));
  const finalW = d.limitTrace.at(-1) ?? limits.default ?? b.max;
  const finalEff = steadyStateCurve(d.fleet, d.rig, d.device, [finalW])[0].efficiencyHPerJ;
  const stockW = limits.default ?? b.max;
  const stockEff = steadyStateCurve(d.fleet, d.rig, d.device, [stockW], { settings: 'stock' })[0]
    .efficiencyHPerJ;
  const xs = [...points.keys()].sort((x, y) => x - y);
  const at = (w: number): number => {
    if (w <= xs[0]) return points.get(xs[0]) as number;
    for (let i = 1; i < xs.length; i++)
      if (w <= xs[i]) {
        const [x0, x1] = [xs[i - 1], xs[i]];
        const [y0, y1] = [points.get(x0) as number, points.get(x1) as number];
        return y0 + ((y1 - y0) * (w - x0)) / (x1 - x0);
      }
    return points.get(xs.at(-1) as number) as number;
  };
  return { stockW, stockEff, finalW, finalEff, optimumW, optimumEff, at };
}
