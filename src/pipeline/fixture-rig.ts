// Seeded synthetic input for the pipeline's tests and golden digest: a two-GPU rig like samples/gpu-rig.csv
// (fan failure, thermal throttling, a pool-latency episode, a miner restart) plus an ASIC board.

import { emptySnapshot, type Snapshot } from '../core/snapshot.ts';

/** Small deterministic PRNG (mulberry32); `next()` is uniform in [0, 1). */
export class FixtureRng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal draw (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

/** Start of the fixture, epoch ms (2026-11-01T00:00:00Z). */
export const FIXTURE_START_MS = 1_793_534_400_000;

/** What happens when in a fixture rig, in samples (1 Hz) from its start. */
export interface FixtureRigPlan {
  readonly seconds: number;
  /** gpu1's fan stops at this sample. */
  readonly fanFailS: number;
  /** gpu0's pool latency is high in [latencyFromS, latencyToS). */
  readonly latencyFromS: number;
  readonly latencyToS: number;
  /** The miner restarts (all share counters of both GPUs reset) at this sample. */
  readonly restartS: number;
}

export const DEFAULT_FIXTURE_PLAN: FixtureRigPlan = {
  seconds: 1200,
  fanFailS: 400,
  latencyFromS: 700,
  latencyToS: 820,
  restartS: 1000,
};

interface GpuState {
  tempC: number;
  memC: number;
  accepted: number;
  rejected: number;
  stale: number;
  energyJ: number;
  fanPct: number;
}

const round = (x: number, step: number) => Math.round(x / step) * step;

/**
 * Snapshots of rig `rig-a` (gpu0, gpu1) and rig `asic-a` (board0), one per device per second, time
 * ordered (devices interleaved). Deterministic for a seed; a few readings are missing (null).
 */
export function fixtureRig(seed = 7, plan: FixtureRigPlan = DEFAULT_FIXTURE_PLAN): Snapshot[] {
  const rng = new FixtureRng(seed);
  const gpus: GpuState[] = [0, 1].map(() => ({
    tempC: 55,
    memC: 67,
    accepted: 0,
    rejected: 0,
    stale: 0,
    energyJ: 0,
    fanPct: 60,
  }));
  let asicHw = 0;
  const out: Snapshot[] = [];
  for (let t = 0; t < plan.seconds; t += 1) {
    const ts = FIXTURE_START_MS + t * 1000;
    if (t === plan.restartS) {
      for (const g of gpus) {
        g.accepted = 0;
        g.rejected = 0;
        g.stale = 0;
      }
    }
    for (let k = 0; k < 2; k += 1) {
      const g = gpus[k];
      const fanDead = k === 1 && t >= plan.fanFailS;
      // Fan: a held integer duty, updated every 5 s; 0 once failed.
      if (t % 5 === 0) g.fanPct = fanDead ? 0 : Math.round(60 + (g.tempC - 55) * 1.5 + rng.normal() * 0.4);
      const coolC = fanDead ? 0.004 : 0.05;
      const throttled = g.tempC >= 83;
      const load = throttled ? 0.7 : 1;
      const powerW = 214 * load + rng.normal() * 1.5;
      g.tempC += (powerW / 4 + 2 - g.tempC) * coolC * 0.4 + (fanDead ? 0.08 : 0);
      g.memC += (g.tempC + 12 - g.memC) * 0.05;
      g.energyJ += powerW;
      const hashrate = 120e6 * load * (1 + rng.normal() * 0.008);
      const latencyMs =
        k === 0 && t >= plan.latencyFromS && t < plan.latencyToS
          ? 190 + rng.normal() * 25
          : 45 + rng.normal() * 4;
      if (rng.next() < 1.2 * load) g.accepted += 1;
      if (rng.next() < 0.01) g.rejected += 1;
      if (rng.next() < 0.005) g.stale += 1;
      const s = emptySnapshot(ts, 'rig-a', `gpu${k}`) as unknown as Record<string, number | null>;
      s.hashrate_5s = hashrate;
      s.hashrate_1m = 120e6 * load * (1 + rng.normal() * 0.002);
      s.hashrate_expected = 120e6;
      s.power_w = round(powerW, 0.01);
      s.power_limit_w = 220;
      s.temp_core_c = Math.round(g.tempC);
      s.temp_mem_c = Math.round(g.memC);
      s.temp_target_c = 83;
      s.fan_pct = g.fanPct;
      s.fan_rpm = fanDead ? 0 : Math.round(g.fanPct * 30 + rng.normal() * 8);
      s.clock_core_mhz = throttled ? 1410 : 1755 + Math.round(rng.normal());
      s.clock_mem_mhz = 7000;
      s.util_pct = 100;
      s.stratum_latency_ms = rng.next() < 0.02 ? null : round(latencyMs, 0.1);
      s.accepted_shares = g.accepted;
      s.rejected_shares = g.rejected;
      s.stale_shares = g.stale;
      s.diff_accepted = g.accepted * 240e6;
      s.diff_rejected = g.rejected * 240e6;
      s.diff_stale = g.stale * 240e6;
      s.hw_errors = 0;
      s.energy_j = round(g.energyJ, 0.1);
      s.throttle_flags = throttled ? 0x40 : 0;
      out.push(s as unknown as Snapshot);
    }
    // An ASIC hash board: hashrate, chip temperatures and a hardware-error counter only.
    if (rng.next() < 0.01) asicHw += 1;
    const board = emptySnapshot(ts, 'asic-a', 'board0') as unknown as Record<string, number | null>;
    const degraded = t >= plan.latencyFromS ? 0.9 : 1;
    board.hashrate_5s = 36.5e12 * degraded * (1 + rng.normal() * 0.01);
    board.hashrate_expected = 36.6e12;
    board.temp_core_c = 68 + Math.round(rng.normal() * 0.6);
    board.temp_chip_max_c = 74 + Math.round(rng.normal() * 0.6);
    board.clock_core_mhz = 530;
    board.hw_errors = asicHw;
    out.push(board as unknown as Snapshot);
  }
  return out;
}
