// The simulated fleet: GPU rigs and ASIC miners with their pools, ambient air and fault timeline;
// `step(dtMs)` advances everything deterministically, `snapshots()` reads it in the core schema.

import { RigtuneError } from '../core/errors.ts';
import type { Snapshot } from '../core/snapshot.ts';
import type { ActuatorResult } from './actuators.ts';
import { boardIndex, SimAsic } from './asic-device.ts';
import { S19_PRO } from './asic-model.ts';
import { FaultScheduler, type FaultTarget } from './fault-schedule.ts';
import { type ActiveFault, type FaultLabel, type FaultPlan, NO_FAULTS } from './faults.ts';
import { SimGpu } from './gpu-device.ts';
import { ALGORITHMS, type AlgorithmName, GPU_PROFILES, type GpuProfile } from './gpu-profiles.ts';
import { Rng } from './rng.ts';
import { SimPool } from './shares.ts';

/** GPU card mix: one model for every rig, or `mixed` (even rigs RTX 3080 Ti, odd rigs H100). */
export const GPU_MODELS = ['rtx3080ti', 'h100', 'mixed'] as const;
export type GpuModelChoice = (typeof GPU_MODELS)[number];

/** How to build a fleet. */
export interface FleetOptions {
  /** Seed of every random draw; same seed and options → identical simulation. */
  readonly seed: number;
  /** Simulation start, epoch ms. */
  readonly startMs: number;
  /** GPU rigs (`rig0`…) and GPUs per rig (`gpu0`…). */
  readonly gpuRigs: number;
  readonly gpusPerRig: number;
  readonly gpuModel?: GpuModelChoice;
  readonly algo?: AlgorithmName;
  /** ASIC miners (`asic0`…), S19 Pro-class. */
  readonly asics: number;
  readonly faults?: FaultPlan;
  /** Mean inlet air temperature, °C (default 25); each rig adds a fixed offset and a daily swing. */
  readonly ambientC?: number;
  /** Seconds of noise-free warm-up so the trace starts in thermal steady state (default 900). */
  readonly settleS?: number;
  /**
   * Seconds the GPU rigs' miners have been running at the start (default 0): their uptime and
   * XMRig's hash-rate windows (null until filled) count from `startMs` minus this.
   */
  readonly minerUptimeS?: number;
}

/** One rig: a GPU rig (several GPUs, one miner process) or one ASIC miner. */
export interface SimRig {
  readonly name: string;
  readonly type: 'gpu' | 'asic';
  readonly pool: SimPool;
  readonly gpus: readonly SimGpu[];
  readonly asic: SimAsic | null;
  /** This rig's fixed offset from the fleet's mean ambient (°C). */
  readonly ambientOffsetC: number;
  /** When its miner started (epoch ms): uptime is measured from here. */
  readonly startMs: number;
  /** Simulation time of the rig's latest state (epoch ms), for servers that stamp replies. */
  readonly clock: { nowMs: number };
}

const DAY_MS = 86_400_000;

function profileFor(choice: GpuModelChoice, rigIndex: number): GpuProfile {
  if (choice === 'mixed') return rigIndex % 2 === 0 ? GPU_PROFILES.rtx3080ti : GPU_PROFILES.h100;
  return GPU_PROFILES[choice];
}

function checkCount(value: number, field: string, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RigtuneError('RT_CONFIG_INVALID', `${field} must be an integer in [0, ${max}], got ${value}`, {
      field,
    });
}

export class Fleet {
  readonly rigs: readonly SimRig[];
  readonly startMs: number;
  /** Current simulation time, epoch ms. */
  nowMs: number;
  readonly #faults: FaultScheduler;
  readonly #byName = new Map<string, SimRig>();
  readonly #meanAmbientC: number;

  constructor(options: FleetOptions) {
    checkCount(options.gpuRigs, 'rigs', 100_000);
    checkCount(options.gpusPerRig, 'gpus-per-rig', 64);
    checkCount(options.asics, 'asics', 100_000);
    const seed = options.seed >>> 0;
    const algo = options.algo ?? 'ethash';
    const model = options.gpuModel ?? 'mixed';
    this.startMs = this.nowMs = options.startMs;
    const minerStartMs = this.startMs - 1000 * Math.max(0, options.minerUptimeS ?? 0);
    this.#meanAmbientC = options.ambientC ?? 25;
    const rigs: SimRig[] = [];
    for (let r = 0; r < options.gpuRigs; r++) {
      const name = `rig${r}`;
      const rng = Rng.derive(seed, name);
      const a = ALGORITHMS[algo];
      const pool = new SimPool(
        {
          difficulty: a.shareDiffH,
          hashesPerDiff: 1,
          jobIntervalMs: a.jobIntervalMs,
          baseLatencyMs: Math.round(rng.uniform(25, 90)),
          baseRejectProb: 0.002,
          url: `stratum+tcp://pool${r % 3}.example.net:4444`,
        },
        Rng.derive(seed, `${name}/pool`),
      );
      const profile = profileFor(model, r);
      const gpus: SimGpu[] = [];
      for (let g = 0; g < options.gpusPerRig; g++) {
        const bus = (g + 1).toString(16).padStart(2, '0').toUpperCase();
        const id = {
          rig: name,
          device: `gpu${g}`,
          pciBusId: `00000000:${bus}:00.0`,
          uuid: uuidFor(seed, name, g),
        };
        gpus.push(new SimGpu(id, profile, algo, pool, Rng.derive(seed, `${name}/gpu${g}`)));
      }
      rigs.push({
        name,
        type: 'gpu',
        pool,
        gpus,
        asic: null,
        ambientOffsetC: rng.uniform(-2, 3),
        startMs: minerStartMs,
        clock: { nowMs: this.startMs },
      });
    }
    for (let m = 0; m < options.asics; m++) {
      const name = `asic${m}`;
      const rng = Rng.derive(seed, name);
      const pool = new SimPool(
        {
          difficulty: S19_PRO.poolDifficulty,
          hashesPerDiff: 2 ** 32,
          jobIntervalMs: 600_000,
          baseLatencyMs: Math.round(rng.uniform(20, 80)),
          baseRejectProb: 0.002,
          url: `stratum+tcp://btc${m % 2}.example.net:3333`,
        },
        Rng.derive(seed, `${name}/pool`),
      );
      const asic = new SimAsic(name, S19_PRO, pool, Rng.derive(seed, `${name}/miner`));
      rigs.push({
        name,
        type: 'asic',
        pool,
        gpus: [],
        asic,
        ambientOffsetC: rng.uniform(-2, 3),
        startMs: this.startMs,
        clock: { nowMs: this.startMs },
      });
    }
    this.rigs = rigs;
    for (const rig of rigs) this.#byName.set(rig.name, rig);
    const settleS = options.settleS ?? 900;
    for (const rig of rigs) {
      const ambient = this.ambientC(rig, this.startMs);
      for (const gpu of rig.gpus) gpu.settle(ambient, settleS);
      rig.asic?.settle(ambient, settleS);
    }
    const targets: FaultTarget[] = rigs.map((rig) => ({
      rig: rig.name,
      type: rig.type,
      devices:
        rig.type === 'gpu'
          ? rig.gpus.map((g) => g.device)
          : [...rig.asic!.boards.map((b) => `board${b.index}`), 'total'],
    }));
    this.#faults = new FaultScheduler(options.faults ?? NO_FAULTS, targets, seed, this.startMs);
    this.#faults.advance(this.nowMs, 0, (f, on) => this.#applyFault(f, on));
  }

  /** Inlet air temperature of `rig` at `tMs` (°C): mean + rig offset + a ±3 °C daily swing peaking at 15:00 UTC. */
  ambientC(rig: SimRig, tMs: number): number {
    const dayFrac = (((tMs % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS;
    return this.#meanAmbientC + rig.ambientOffsetC + 3 * Math.sin(2 * Math.PI * (dayFrac - 0.375));
  }

  /** Advances the whole fleet by `dtMs` (> 0): fault transitions at the step's end time, then physics. */
  step(dtMs: number): void {
    if (!(dtMs > 0))
      throw new RigtuneError('RT_CONFIG_INVALID', `step must be > 0 ms, got ${dtMs}`, { field: 'step' });
    const t = this.nowMs + dtMs;
    this.#faults.advance(t, dtMs, (f, on) => this.#applyFault(f, on));
    const dtS = dtMs / 1000;
    for (const rig of this.rigs) {
      rig.pool.step(dtS);
      const ambient = this.ambientC(rig, t);
      for (const gpu of rig.gpus) gpu.step(dtS, t, ambient);
      rig.asic?.step(dtS, t, ambient);
      rig.clock.nowMs = t;
    }
    this.nowMs = t;
  }

  /** Every device's snapshot at the current state, stamped `tsMs` (default: now), rigs in order. */
  snapshots(tsMs: number = this.nowMs): Snapshot[] {
    const out: Snapshot[] = [];
    for (const rig of this.rigs) {
      for (const gpu of rig.gpus) out.push(gpu.snapshot(tsMs));
      if (rig.asic !== null) for (const s of rig.asic.snapshots(tsMs)) out.push(s);
    }
    return out;
  }

  /** Ground-truth labels of the faults started so far. */
  labels(): FaultLabel[] {
    return this.#faults.labels();
  }

  /** Faults running now. */
  activeFaults(): ActiveFault[] {
    return this.#faults.active();
  }

  /** The rig named `name`; throws RT_CONFIG_INVALID when there is none. */
  rig(name: string): SimRig {
    const rig = this.#byName.get(name);
    if (rig === undefined) throw new RigtuneError('RT_CONFIG_INVALID', `no rig '${name}'`, { rig: name });
    return rig;
  }

  /** The GPU `device` of GPU rig `rig`; throws RT_CONFIG_INVALID when there is none. */
  gpu(rig: string, device: string): SimGpu {
    const gpu = this.rig(rig).gpus.find((g) => g.device === device);
    if (gpu === undefined)
      throw new RigtuneError('RT_CONFIG_INVALID', `no GPU '${device}' on rig '${rig}'`, { rig, device });
    return gpu;
  }

  /** The ASIC miner of rig `rig`; throws RT_CONFIG_INVALID when the rig is not an ASIC. */
  asic(rig: string): SimAsic {
    const asic = this.rig(rig).asic;
    if (asic === null)
      throw new RigtuneError('RT_CONFIG_INVALID', `rig '${rig}' is not an ASIC miner`, { rig });
    return asic;
  }

  /** Power limit (GPU, W) or power target (ASIC `total`, W) of one device; the device's reply. */
  setPowerLimit(rig: string, device: string, watts: number): ActuatorResult {
    const r = this.rig(rig);
    if (r.asic !== null && device === 'total') return r.asic.setPowerTarget(watts);
    return this.gpu(rig, device).setPowerLimit(watts);
  }

  /** Manual fan % or automatic (null), of a GPU or an ASIC miner (`total`). */
  setFan(rig: string, device: string, pct: number | null): ActuatorResult {
    const r = this.rig(rig);
    if (r.asic !== null && device === 'total') return r.asic.setFan(pct);
    return this.gpu(rig, device).setFan(pct);
  }

  #applyFault(fault: ActiveFault, active: boolean): void {
    const rig = this.rig(fault.label.rig);
    const { kind, device } = fault.label;
    if (kind === 'pool_latency' || kind === 'reject_storm') {
      rig.pool.setFault(fault, active);
      return;
    }
    if (rig.asic !== null) {
      if (device === null || device === 'total' || boardIndex(device) !== null)
        rig.asic.setFault(fault, active);
      return;
    }
    for (const gpu of rig.gpus) if (device === null || gpu.device === device) gpu.setFault(fault, active);
  }
}

/** A stable NVML-style UUID for a simulated GPU. */
function uuidFor(seed: number, rig: string, index: number): string {
  const rng = Rng.derive(seed, `${rig}/uuid/${index}`);
  const hex = (n: number) => Array.from({ length: n }, () => rng.int(16).toString(16)).join('');
  return `GPU-${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
}
