// Deterministic tick batches (snapshots, scores, events) and a manual clock for the Parquet sink's
// tests and bench: values follow from (tick, device) so a reader can check every cell it gets back.

import type { Clock } from '../../src/core/clock.ts';
import type { RuptureEvent, ScoreTick } from '../../src/core/scores.ts';
import { type RigTickBatch, SCHEMA_VERSION } from '../../src/core/sink.ts';
import { emptySnapshot, type Snapshot } from '../../src/core/snapshot.ts';

/** Power of device `d` at tick `k`, W; null on every 7th tick (a missing reading). */
export function powerAt(k: number, d: number): number | null {
  return k % 7 === 3 ? null : 200 + d + (k % 10) / 4;
}

/** sep_score of device `d` at tick `k`; null at the first tick. */
export function sepAt(k: number, d: number): number | null {
  return k === 0 ? null : 50 + ((k * 3 + d) % 50);
}

export function snapshotAt(ts: number, rig: string, d: number, k: number): Snapshot {
  return {
    ...emptySnapshot(ts, rig, `gpu${d}`),
    power_w: powerAt(k, d),
    temp_core_c: 60 + (d % 5),
    hashrate_5s: 1e8 + d * 1e6 + k,
    accepted_shares: k * 2,
    throttle_flags: k % 5 === 0 ? 0x20 : 0,
  };
}

export function scoreAt(ts: number, rig: string, d: number, k: number): ScoreTick {
  return {
    type: 'tick',
    ts,
    rig,
    device: `gpu${d}`,
    samples: k + 1,
    health_bit: k === 0 ? null : (k + d) % 4 === 0 ? 1 : 0,
    health_reasons: (k + d) % 4 === 0 ? ['temp', 'power'] : [],
    structure:
      k < 2
        ? null
        : {
            n: 64,
            coherence: 0.5,
            stability: 0.25,
            entropy: 0.75,
            rupture: 0.125,
            flip_ratio: 0.1,
            collapse: false,
            sig_c: 0,
            sig_s: 0,
            sig_e: 0,
          },
    change_prob: 0.01 * (k % 10),
    lambda_hazard: 0.02,
    kpis: {
      efficiency_h_per_j: 5e5,
      efficiency_j_per_th: null,
      reject_rate: 0.01,
      reject_rate_ci95: k === 0 ? null : [0.005, 0.02],
      shares_in_window: 10,
      thermal_headroom_c: 20,
      latency_budget_ms: null,
      stability_index: 0.9,
      eff_norm: 1,
      hashrate_ratio: 0.98,
    },
    sep_score: sepAt(k, d),
    rupture_class: k % 50 === 49 ? 'meso' : 'none',
    channels_changing: k % 50 === 49 ? ['power_w', 'temp_core_c'] : [],
    channels: {},
    counter_resets: [],
  };
}

/** One rig's tick `k` at `ts` with `devices` GPUs; an event on gpu0 every 50 ticks. */
export function batchAt(rig: string, ts: number, k: number, devices: number): RigTickBatch {
  const snapshots = Array.from({ length: devices }, (_, d) => snapshotAt(ts, rig, d, k));
  const scores = Array.from({ length: devices }, (_, d) => scoreAt(ts, rig, d, k));
  const events: RuptureEvent[] =
    k % 50 === 49
      ? [
          {
            type: 'event',
            ts_start: ts - 5000,
            ts_detected: ts,
            rig,
            device: 'gpu0',
            class: 'meso',
            channels: ['power_w'],
            hazard: 0.9,
          },
        ]
      : [];
  return { rig, ts, snapshots, scores, events, state: { schema: SCHEMA_VERSION, rig, ts, devices: scores } };
}

/** A clock moved by hand: `sleep` resolves once `advance` passes its deadline, or rejects on abort. */
export class ManualClock implements Clock {
  #now: number;
  #sleepers: Array<{ at: number; resolve: () => void }> = [];

  constructor(startMs: number) {
    this.#now = startMs;
  }

  nowMs(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper = { at: this.#now + ms, resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal.reason);
      });
    });
  }

  /** Moves time on and wakes the sleepers that are due. */
  advance(ms: number): void {
    this.#now += ms;
    const due = this.#sleepers.filter((s) => s.at <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.at > this.#now);
    for (const s of due) s.resolve();
  }
}
