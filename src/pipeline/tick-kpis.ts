// Small pure helpers of the device scorer: the tick's KPI block (with the reject rate's Wilson interval)
// and the finite values of a ring buffer, kept apart so the scorer stays one readable page.

import type { Kpis } from '../kernel/score/index.ts';
import { wilsonInterval } from '../kernel/stats/index.ts';
import type { RingBuffer } from '../telemetry/index.ts';
import type { TickKpis } from './types.ts';

/** The KPIs in a tick's shape: the reject rate gets a 95 % Wilson interval over the share window. */
export function tickKpisOf(k: Kpis): TickKpis {
  const ci =
    k.shares_in_window !== null && k.bad_shares_in_window !== null && k.shares_in_window > 0
      ? wilsonInterval(k.bad_shares_in_window, k.shares_in_window)
      : null;
  return {
    efficiency_h_per_j: k.efficiency_h_per_j,
    efficiency_j_per_th: k.efficiency_j_per_th,
    reject_rate: k.reject_rate,
    reject_rate_ci95: ci === null ? null : [ci.lower, ci.upper],
    shares_in_window: k.shares_in_window,
    thermal_headroom_c: k.thermal_headroom_c,
    latency_budget_ms: k.latency_budget_ms,
    stability_index: k.stability_index,
    eff_norm: k.eff_norm,
    hashrate_ratio: k.hashrate_ratio,
  };
}

/** Fills `out` with the finite values of `ring` (NaN = missing), oldest first; returns it. */
export function finiteInto(ring: RingBuffer, out: number[]): number[] {
  out.length = 0;
  const n = ring.length;
  for (let k = 0; k < n; k += 1) {
    const v = ring.at(k) as number;
    if (!Number.isNaN(v)) out.push(v);
  }
  return out;
}
