// Share accounting of a simulated miner: Poisson share arrivals at rate hashrate / difficulty, each
// accepted, rejected or stale, counted both as shares and difficulty-weighted; and the pool's latency.

import type { ActiveFault } from './faults.ts';
import type { Rng } from './rng.ts';

/** Raw miner counters: share counts and difficulty-weighted sums (pool difficulty units). */
export class ShareCounters {
  accepted = 0;
  rejected = 0;
  stale = 0;
  diffAccepted = 0;
  diffRejected = 0;
  diffStale = 0;

  /** Back to zero, as after a miner restart. */
  reset(): void {
    this.accepted = this.rejected = this.stale = 0;
    this.diffAccepted = this.diffRejected = this.diffStale = 0;
  }
}

/**
 * Probability that a share goes stale: a new job (block) arrives during its round trip, a Poisson
 * event of rate 1/jobInterval, so p = 1 − e^(−latency/interval) (≈ latency/interval).
 */
export function staleProbability(latencyMs: number, jobIntervalMs: number): number {
  return 1 - Math.exp(-Math.max(0, latencyMs) / jobIntervalMs);
}

/**
 * Draws one step of share outcomes. Arrivals are Poisson with mean `hashrateHs·dtS / (diff·hashesPerDiff)`;
 * splitting a Poisson process by outcome gives three independent Poisson counts (thinning), so each
 * is drawn directly. `rejectProb` and the stale probability are clamped so they sum to at most 1.
 */
export function drawShares(
  rng: Rng,
  counters: ShareCounters,
  hashrateHs: number,
  dtS: number,
  difficulty: number,
  hashesPerDiff: number,
  rejectProb: number,
  staleProb: number,
): void {
  const lambda = (Math.max(0, hashrateHs) * dtS) / (difficulty * hashesPerDiff);
  if (!(lambda > 0)) return;
  const pRej = Math.min(1, Math.max(0, rejectProb));
  const pStale = Math.min(1 - pRej, Math.max(0, staleProb));
  const pAcc = 1 - pRej - pStale;
  const acc = rng.poisson(lambda * pAcc);
  const rej = pRej > 0 ? rng.poisson(lambda * pRej) : 0;
  const stale = pStale > 0 ? rng.poisson(lambda * pStale) : 0;
  counters.accepted += acc;
  counters.rejected += rej;
  counters.stale += stale;
  counters.diffAccepted += acc * difficulty;
  counters.diffRejected += rej * difficulty;
  counters.diffStale += stale * difficulty;
}

/** Pool settings of a rig. */
export interface PoolConfig {
  /** Share difficulty in pool units. */
  readonly difficulty: number;
  /** Hashes per unit of difficulty (1 when difficulty is quoted in hashes; 2^32 for SHA-256 pools). */
  readonly hashesPerDiff: number;
  /** Mean time between jobs that invalidate earlier work (new blocks), ms. */
  readonly jobIntervalMs: number;
  /** Round-trip latency to the pool without faults, ms. */
  readonly baseLatencyMs: number;
  /** Reject probability of a healthy miner at this pool. */
  readonly baseRejectProb: number;
  readonly url: string;
}

/**
 * The pool as a rig sees it: latency is the base plus an AR(1) jitter (correlation time ~10 s,
 * ~8 % of the base) plus any fault's extra latency; rejects add the fault's extra probability.
 */
export class SimPool {
  readonly config: PoolConfig;
  /** Latency of the current step (ms). */
  latencyMs: number;
  /** Added by pool_latency faults (ms). */
  extraLatencyMs = 0;
  /** Added by reject_storm faults. */
  extraRejectProb = 0;
  #jitterMs = 0;
  #faults: ActiveFault[] = [];
  readonly #rng: Rng;

  constructor(config: PoolConfig, rng: Rng) {
    this.config = config;
    this.latencyMs = config.baseLatencyMs;
    this.#rng = rng;
  }

  /** Advances the latency process by `dtS` seconds. */
  step(dtS: number): void {
    const a = Math.exp(-dtS / 10);
    const sigma = 0.08 * this.config.baseLatencyMs;
    this.#jitterMs = a * this.#jitterMs + Math.sqrt(1 - a * a) * sigma * this.#rng.normal();
    const spike = this.extraLatencyMs > 0 ? this.extraLatencyMs * (1 + 0.15 * this.#rng.normal()) : 0;
    this.latencyMs = Math.max(1, this.config.baseLatencyMs + this.#jitterMs + Math.max(0, spike));
  }

  /**
   * Adds or removes a pool fault: pool_latency adds 150 + 1350·severity ms (up to 1.5 s), reject_storm
   * adds 0.1 + 0.4·severity reject probability (the strongest active fault of each kind counts).
   */
  setFault(fault: ActiveFault, active: boolean): void {
    this.#faults = active ? [...this.#faults, fault] : this.#faults.filter((f) => f !== fault);
    this.extraLatencyMs = 0;
    this.extraRejectProb = 0;
    for (const f of this.#faults) {
      const s = f.label.severity;
      if (f.label.kind === 'pool_latency')
        this.extraLatencyMs = Math.max(this.extraLatencyMs, 150 + 1350 * s);
      if (f.label.kind === 'reject_storm')
        this.extraRejectProb = Math.max(this.extraRejectProb, 0.1 + 0.4 * s);
    }
  }

  /** Reject probability for a miner whose own error probability is `minerRejectProb`. */
  rejectProb(minerRejectProb: number): number {
    return Math.min(0.95, this.config.baseRejectProb + this.extraRejectProb + minerRejectProb);
  }

  staleProb(): number {
    return staleProbability(this.latencyMs, this.config.jobIntervalMs);
  }
}
