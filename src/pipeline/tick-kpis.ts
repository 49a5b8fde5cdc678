// Small pure helpers of the device scorer: the tick's KPI block (with the reject rate's Wilson interval)
// and the KPI history rings, kept apart so the scorer stays one readable page.

import { RigtuneError } from '../core/errors.ts';
import type { Kpis } from '../kernel/score/index.ts';
import { wilsonInterval } from '../kernel/stats/index.ts';
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

/**
 * The last `capacity` samples of `lanes` series pushed together (NaN = missing), e.g. hashrate and
 * efficiency history, in `lanes × capacity` numbers of a caller's array from `offset`: one ring position
 * for every lane, so a device's KPI histories cost one buffer and one small object.
 */
export class LockstepRings {
  readonly capacity: number;
  readonly #data: Float64Array;
  readonly #offset: number;
  #start = 0;
  #length = 0;

  /** Throws RT_KERNEL_ARGUMENT unless `capacity` is an integer ≥ 1 and the lanes fit in `data`. */
  constructor(capacity: number, lanes: number, data: Float64Array, offset = 0) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RigtuneError('RT_KERNEL_ARGUMENT', `capacity must be an integer ≥ 1, got ${capacity}`, {
        field: 'capacity',
      });
    if (!(offset >= 0 && offset + lanes * capacity <= data.length))
      throw new RigtuneError('RT_KERNEL_ARGUMENT', `${lanes} rings of ${capacity} do not fit at ${offset}`, {
        field: 'offset',
      });
    this.capacity = capacity;
    this.#data = data;
    this.#offset = offset;
  }

  /** Samples held now (≤ capacity). */
  get length(): number {
    return this.#length;
  }

  /** Appends the next sample of three lanes (lanes 0, 1, 2), dropping the oldest once full. */
  push3(a: number, b: number, c: number): void {
    const cap = this.capacity;
    let slot: number;
    if (this.#length < cap) {
      slot = (this.#start + this.#length) % cap;
      this.#length += 1;
    } else {
      slot = this.#start;
      this.#start = (this.#start + 1) % cap;
    }
    const at = this.#offset + slot;
    this.#data[at] = a;
    this.#data[at + cap] = b;
    this.#data[at + 2 * cap] = c;
  }

  /** Fills `out` with the finite values of `lane` (NaN = missing), oldest first; returns it. */
  finiteInto(lane: number, out: number[]): number[] {
    out.length = 0;
    const cap = this.capacity;
    const data = this.#data;
    const base = this.#offset + lane * cap;
    for (let k = 0; k < this.#length; k += 1) {
      const v = data[base + ((this.#start + k) % cap)];
      if (!Number.isNaN(v)) out.push(v);
    }
    return out;
  }
}
