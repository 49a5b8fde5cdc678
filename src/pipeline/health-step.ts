// The composite health bit of one device sample against its EMA baselines (hashrate, efficiency, pool
// latency, power), kept apart from the scorer so each file stays one readable page.

import type { Snapshot } from '../core/snapshot.ts';
import { type HealthBit, type HealthOptions, healthBit } from '../kernel/health/index.ts';
import type { KpiOptions } from '../kernel/score/index.ts';
import { type CounterDeltas, EmaTracker } from '../telemetry/index.ts';

const fin = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? x : null;

/** EMA baselines of the health rule; the value before a sample is that sample's baseline. */
export class HealthStep {
  readonly #hashrate: EmaTracker;
  readonly #efficiency: EmaTracker;
  readonly #latency: EmaTracker;
  readonly #power: EmaTracker;

  /** `tauS`: EMA time constant of the baselines, seconds. */
  constructor(tauS: number) {
    this.#hashrate = new EmaTracker(tauS);
    this.#efficiency = new EmaTracker(tauS);
    this.#latency = new EmaTracker(tauS);
    this.#power = new EmaTracker(tauS);
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
    const hashrateBefore = this.#hashrate.value;
    const efficiencyBefore = this.#efficiency.value;
    const latencyBefore = this.#latency.value;
    const powerBefore = this.#power.value;
    const latency = fin(d.stratum_latency_ms);
    const power = fin(d.power_w);
    this.#hashrate.update(d.ts, hashrate);
    this.#efficiency.update(d.ts, efficiency);
    this.#latency.update(d.ts, latency);
    this.#power.update(d.ts, power);
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
}
