// The composite health bit of one device sample against its EMA baselines (hashrate, efficiency, pool
// latency, power), kept apart from the scorer so each file stays one readable page.

import { RigtuneError } from '../core/errors.ts';
import type { Snapshot } from '../core/snapshot.ts';
import { type HealthBit, type HealthOptions, healthBit } from '../kernel/health/index.ts';
import type { KpiOptions } from '../kernel/score/index.ts';
import type { CounterDeltas } from '../telemetry/index.ts';

const fin = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? x : null;

/** EMA baselines kept: hashrate, efficiency, pool latency, power. */
const HASHRATE = 0;
const EFFICIENCY = 1;
const LATENCY = 2;
const POWER = 3;
/** Numbers of state a HealthStep keeps in its owner's array: per baseline its EMA and last reading time. */
export const HEALTH_STATE_SIZE = 8;

/**
 * EMA baselines of the health rule; the value before a sample is that sample's baseline. Each is an
 * EmaTracker's rule (alpha = 1 − exp(−dt/tau), the first reading starts it, missing readings hold it),
 * kept as two numbers of the owner's array so a device's baselines cost no objects of their own.
 */
export class HealthStep {
  readonly #tauS: number;
  /** [2k] EMA of baseline k (NaN before its first reading), [2k + 1] time of its last reading (ms). */
  readonly #state: Float64Array;
  readonly #at: number;

  /**
   * `tauS`: EMA time constant of the baselines, seconds (throws RT_KERNEL_ARGUMENT unless finite ≥ 0);
   * `state`: {@link HEALTH_STATE_SIZE} numbers from `offset` for the baselines (default: its own array).
   */
  constructor(tauS: number, state: Float64Array = new Float64Array(HEALTH_STATE_SIZE), offset = 0) {
    if (!(Number.isFinite(tauS) && tauS >= 0)) {
      throw new RigtuneError('RT_KERNEL_ARGUMENT', `EMA time constant must be ≥ 0 s, got ${tauS}`, {
        field: 'tauS',
      });
    }
    if (!(Number.isInteger(offset) && offset >= 0 && offset + HEALTH_STATE_SIZE <= state.length))
      throw new RigtuneError('RT_KERNEL_ARGUMENT', `health state offset ${offset} does not fit`, {
        field: 'offset',
      });
    this.#tauS = tauS;
    this.#state = state;
    this.#at = offset;
    state.fill(Number.NaN, offset, offset + HEALTH_STATE_SIZE);
  }

  /**
   * Updates the baselines with sample `d` (hashrate in H/s, efficiency in H/J, null = missing) and returns
   * its health bit against the baselines before it; null for the device's first sample (`isFirst`).
   */
  push(
    d: Snapshot,
    counters: CounterDeltas,
    isFirst: boolean,
    hashrate: number | null,
    efficiency: number | null,
    health: HealthOptions,
    kpi: KpiOptions,
  ): HealthBit | null {
    const hashrateBefore = this.#value(HASHRATE);
    const efficiencyBefore = this.#value(EFFICIENCY);
    const latencyBefore = this.#value(LATENCY);
    const powerBefore = this.#value(POWER);
    const latency = fin(d.stratum_latency_ms);
    const power = fin(d.power_w);
    this.#update(HASHRATE, d.ts, hashrate);
    this.#update(EFFICIENCY, d.ts, efficiency);
    this.#update(LATENCY, d.ts, latency);
    this.#update(POWER, d.ts, power);
    if (isFirst) return null;
    const dl = counters.counter_delta;
    const bad =
      (dl.rejected_shares ?? null) === null ? null : (dl.rejected_shares ?? 0) + (dl.stale_shares ?? 0);
    const all = bad === null || dl.accepted_shares == null ? null : bad + dl.accepted_shares;
    const limitC = fin(d.temp_target_c) ?? kpi.thermal_limits_c.core_c ?? kpi.thermal_limits_c.chip_c;
    return healthBit(
      {
        efficiencyHPerJ: efficiency,
        efficiencyBaselineHPerJ: efficiencyBefore,
        hashrateHs: hashrate,
        hashrateBaselineHs: hashrateBefore,
        // The core, else the chip, else the only sensor left (memory).
        hottestC: fin(d.temp_core_c) ?? fin(d.temp_chip_max_c) ?? fin(d.temp_mem_c),
        limitC,
        latencyMs: latency,
        latencyBaselineMs: latencyBefore,
        powerW: power,
        powerBaselineW: powerBefore,
        badSharesStep: bad,
        allSharesStep: all,
        throttleFlags: fin(d.throttle_flags),
      },
      health,
    );
  }

  /** Baseline k's EMA, or null before its first reading. */
  #value(k: number): number | null {
    const ema = this.#state[this.#at + 2 * k];
    return Number.isNaN(ema) ? null : ema;
  }

  /** EmaTracker.update of baseline k: a reading at `tsMs` (epoch ms); null or non-finite holds it. */
  #update(k: number, tsMs: number, value: number | null): void {
    if (value === null || !Number.isFinite(value) || !Number.isFinite(tsMs)) return;
    const s = this.#state;
    const at = this.#at + 2 * k;
    const prev = s[at];
    if (Number.isNaN(prev)) {
      s[at] = value;
      s[at + 1] = tsMs;
      return;
    }
    const dtS = (tsMs - s[at + 1]) / 1000;
    const alpha = this.#tauS === 0 ? 1 : dtS > 0 ? -Math.expm1(-dtS / this.#tauS) : 0;
    s[at] = prev + alpha * (value - prev);
    if (dtS > 0) s[at + 1] = tsMs;
  }
}
