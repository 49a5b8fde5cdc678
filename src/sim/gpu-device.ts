// One simulated GPU: actuators, power-capped clocks, two-node thermal model with fan, memory
// junction, throttle reasons, hash rate, shares and counters; emits snapshots in the core schema.

import type { Snapshot } from '../core/snapshot.ts';
import { type ActuatorResult, clampWrite, unavailableWrite, unsupportedWrite } from './actuators.ts';
import { combineFaults, type FaultEffects, NO_FAULT_EFFECTS, pasteFactor } from './fault-effects.ts';
import type { ActiveFault } from './faults.ts';
import {
  airflowConductance,
  boardPowerW,
  fanCurvePct,
  fitCoreClockMhz,
  fitMemClockMhz,
  type Instability,
  idealHashrate,
  instability,
  memPowerW,
  staticPowerW,
} from './gpu-model.ts';
import type { AlgorithmName, GpuProfile } from './gpu-profiles.ts';
import { gpuSnapshot } from './gpu-snapshot.ts';
import type { Rng } from './rng.ts';
import { drawShares, ShareCounters, type SimPool } from './shares.ts';
import { LagCache, stepLimiter, THROTTLE } from './thermal.ts';

/** Identity of a simulated GPU. */
export interface GpuIdentity {
  readonly rig: string;
  readonly device: string;
  /** Canonical PCI bus id, e.g. `00000000:01:00.0`. */
  readonly pciBusId: string;
  readonly uuid: string;
}

const FAN_TAU_S = 2;
const HASH_EMA_TAU_S = 60;

export class SimGpu {
  readonly type = 'gpu' as const;
  readonly id: GpuIdentity;
  readonly profile: GpuProfile;
  readonly algo: AlgorithmName;
  /** Hash rate at stock settings and 60 °C, H/s (the `hashrate_expected` of snapshots). */
  readonly expectedHs: number;

  // Actuator settings (what the driver holds).
  powerLimitW: number;
  coreOffsetMhz = 0;
  memOffsetMhz = 0;
  coreLockMhz: number | null = null;
  memLockMhz: number | null = null;
  fanManualPct: number | null = null;

  // Physical state.
  tempDieC = 25;
  tempSinkC = 25;
  tempMemC = 25;
  fanPct = 0;
  fanActualPct = 0;
  coreClockMhz: number;
  memClockMhz: number;
  powerW = 0;
  hashrateHs = 0;
  throttleFlags = 0;
  thermalCapMhz: number;
  memCapMhz: number;
  hwSlowdown = false;

  // What the miner and NVML report.
  reportedCoreMhz: number;
  reportedPowerW = 0;
  hashrate5s = 0;
  hashrate1m = 0;
  /** 15-minute average (H/s), as XMRig's third window. */
  hashrate15m = 0;
  energyJ = 0;
  hwErrors = 0;
  readonly shares = new ShareCounters();
  /** The rig's pool (difficulty, latency). */
  readonly pool: SimPool;

  // Fault-derived parameters, recomputed when the device's fault list changes.
  #faults: ActiveFault[] = [];
  #fx: FaultEffects = NO_FAULT_EFFECTS;

  #inst: Instability;
  readonly #rng: Rng;
  readonly #lagDie: LagCache;
  readonly #lagSink: LagCache;
  readonly #lagMem: LagCache;
  readonly #lagFan = new LagCache(FAN_TAU_S);
  readonly #lagHash = new LagCache(HASH_EMA_TAU_S);
  readonly #lag15m = new LagCache(900);
  readonly #gRef: number;

  constructor(id: GpuIdentity, profile: GpuProfile, algo: AlgorithmName, pool: SimPool, rng: Rng) {
    this.id = id;
    this.profile = profile;
    this.algo = algo;
    this.pool = pool;
    this.#rng = rng;
    this.powerLimitW = profile.powerLimitDefaultW;
    this.coreClockMhz = this.reportedCoreMhz = profile.coreBoostMhz;
    this.memClockMhz = profile.memDefaultMhz;
    this.thermalCapMhz = profile.coreMaxMhz;
    this.memCapMhz = profile.memMaxMhz;
    this.#lagDie = new LagCache(profile.tauDieS);
    this.#lagSink = new LagCache(profile.tauSinkS);
    this.#lagMem = new LagCache(profile.tauMemS);
    this.#gRef = airflowConductance(profile, 70);
    this.#inst = instability(profile, 0, 0);
    const f = fitCoreClockMhz(
      profile,
      algo,
      profile.coreBoostMhz,
      profile.memDefaultMhz,
      0,
      60,
      this.powerLimitW,
    );
    this.expectedHs = idealHashrate(profile, algo, f, profile.memDefaultMhz);
  }

  get device(): string {
    return this.id.device;
  }

  /** True while the GPU has fallen off the bus (driver_crash): NVML and the miner cannot read it. */
  get isOffBus(): boolean {
    return this.#fx.offBus;
  }

  /** Runs the noise-free physics for `seconds` so a trace starts in thermal steady state. */
  settle(ambientC: number, seconds = 900, dtS = 5): void {
    this.tempDieC = this.tempSinkC = this.tempMemC = ambientC;
    for (let t = 0; t < seconds; t += dtS) this.#physics(dtS, 0, ambientC);
    this.hashrate5s = this.hashrate1m = this.hashrate15m = this.hashrateHs;
    this.reportedPowerW = this.powerW;
  }

  /** Advances the device by `dtS` seconds at simulation time `tMs` with air at `ambientC`. */
  step(dtS: number, tMs: number, ambientC: number): void {
    this.#physics(dtS, tMs, ambientC);
    if (this.#fx.offBus) return;
    const rng = this.#rng;
    let hs = this.hashrateHs;
    if (this.#fx.memErrors > 0 && rng.chance(0.15)) hs *= 1 - 0.3 * this.#fx.memErrors; // replayed/failed batches
    this.hashrate5s = Math.max(0, hs * (1 + 0.005 * rng.normal()));
    this.hashrate1m += (this.hashrate5s - this.hashrate1m) * this.#lagHash.factor(dtS);
    this.hashrate15m += (this.hashrate5s - this.hashrate15m) * this.#lag15m.factor(dtS);
    this.reportedPowerW = this.powerW * (1 + 0.003 * rng.normal());
    // NVML reports the clock bin the controller sits in; between two bins it dithers.
    const step = this.profile.clockStepMhz;
    const lower = Math.floor(this.coreClockMhz / step) * step;
    this.reportedCoreMhz = rng.next() < (this.coreClockMhz - lower) / step ? lower + step : lower;
    this.energyJ += this.powerW * dtS;
    const pool = this.pool;
    const minerReject = this.#inst.rejectProb + 0.08 * this.#fx.memErrors + 0.02 * this.#fx.psuSag;
    drawShares(
      rng,
      this.shares,
      hs,
      dtS,
      pool.config.difficulty,
      pool.config.hashesPerDiff,
      pool.rejectProb(minerReject),
      pool.staleProb(),
    );
    const errorsPerS = this.#inst.errorsPerS + 0.05 * this.#fx.memErrors + 0.02 * this.#fx.psuSag;
    if (errorsPerS > 0) this.hwErrors += rng.poisson(errorsPerS * dtS);
  }

  #physics(dtS: number, tMs: number, ambientC: number): void {
    const p = this.profile;
    const coreTarget =
      this.coreLockMhz ?? Math.min(p.coreMaxMhz, Math.max(p.coreMinMhz, p.coreBoostMhz + this.coreOffsetMhz));
    const memTarget =
      this.memLockMhz ?? Math.min(p.memMaxMhz, Math.max(p.memMinMhz, p.memDefaultMhz + this.memOffsetMhz));
    let flags = 0;
    let core: number;
    let mem: number;
    if (this.#fx.offBus) {
      // Fallen off the bus: the board still draws its static power; nothing computes.
      core = p.coreMinMhz;
      mem = p.memMinMhz;
      this.powerW = staticPowerW(p, this.tempDieC);
      this.hashrateHs = 0;
    } else {
      let ceiling = Math.min(coreTarget, this.thermalCapMhz);
      if (this.thermalCapMhz < coreTarget) flags |= THROTTLE.SW_THERMAL;
      if (this.hwSlowdown) {
        ceiling = Math.min(ceiling, Math.max(p.coreMinMhz, 0.5 * coreTarget));
        flags |= THROTTLE.HW_THERMAL | THROTTLE.HW_SLOWDOWN;
      }
      if (this.#fx.psuSag > 0) {
        ceiling = Math.min(ceiling, p.coreMinMhz + (coreTarget - p.coreMinMhz) * (1 - 0.6 * this.#fx.psuSag));
        flags |= THROTTLE.HW_POWER_BRAKE | THROTTLE.HW_SLOWDOWN;
      }
      mem = Math.min(memTarget, this.memCapMhz);
      if (this.memCapMhz < memTarget) flags |= THROTTLE.HW_THERMAL | THROTTLE.HW_SLOWDOWN;
      const o = this.coreOffsetMhz;
      core = fitCoreClockMhz(p, this.algo, ceiling, mem, o, this.tempDieC, this.powerLimitW);
      if (core < ceiling - 0.5) flags |= THROTTLE.SW_POWER_CAP;
      if (core <= p.coreMinMhz && boardPowerW(p, this.algo, core, mem, o, this.tempDieC) > this.powerLimitW) {
        mem = fitMemClockMhz(p, this.algo, mem, core, o, this.tempDieC, this.powerLimitW);
        flags |= THROTTLE.SW_POWER_CAP;
      }
      this.powerW = boardPowerW(p, this.algo, core, mem, o, this.tempDieC);
      this.hashrateHs =
        idealHashrate(p, this.algo, core, mem) * this.#inst.hashFactor * (1 - 0.1 * this.#fx.memErrors);
    }
    this.coreClockMhz = core;
    this.memClockMhz = mem;
    this.throttleFlags = flags;
    this.#thermal(dtS, tMs, ambientC, mem);
  }

  #thermal(dtS: number, tMs: number, ambientC: number, memMhz: number): void {
    const p = this.profile;
    let airflowPct: number;
    if (p.hasFan) {
      const auto = Math.max(p.fanMinPct, fanCurvePct(p, this.tempDieC));
      this.fanPct = this.fanManualPct ?? auto;
      this.fanActualPct += (this.fanPct - this.fanActualPct) * this.#lagFan.factor(dtS);
      airflowPct = this.fanActualPct * (1 - this.#fx.fanFail);
    } else airflowPct = p.chassisAirflowPct * (1 - 0.5 * this.#fx.fanFail);
    const g = airflowConductance(p, airflowPct);
    const paste = pasteFactor(this.#fx.paste, tMs, 3);
    const sinkSs = ambientC + this.powerW / g;
    this.tempSinkC += (sinkSs - this.tempSinkC) * this.#lagSink.factor(dtS);
    const dieSs = this.tempSinkC + this.powerW * p.rJunctionKPerW * paste;
    this.tempDieC += (dieSs - this.tempDieC) * this.#lagDie.factor(dtS);
    const memW = this.#fx.offBus ? 0 : memPowerW(p, this.algo, memMhz);
    const memSs =
      ambientC + memW * p.memRKPerW * (this.#gRef / g) + p.memCoupling * (this.tempSinkC - ambientC);
    this.tempMemC += (memSs - this.tempMemC) * this.#lagMem.factor(dtS);
    // Controllers act on the new temperatures; their ceilings apply from the next step.
    this.thermalCapMhz = stepLimiter(
      this.thermalCapMhz,
      this.tempDieC,
      p.tempTargetC,
      dtS,
      15,
      20,
      p.coreMinMhz,
      p.coreMaxMhz,
    );
    this.memCapMhz = stepLimiter(
      this.memCapMhz,
      this.tempMemC,
      p.memTempLimitC,
      dtS,
      60,
      30,
      p.memMinMhz,
      p.memMaxMhz,
    );
    if (this.tempDieC >= p.tempHwSlowdownC) this.hwSlowdown = true;
    else if (this.tempDieC < p.tempHwSlowdownC - 3) this.hwSlowdown = false;
  }

  /** Fan speed the tachometer reads (RPM): actual airflow, zero when the fan has failed. */
  get fanRpm(): number {
    return (this.fanActualPct / 100) * this.profile.fanMaxRpm * (1 - this.#fx.fanFail);
  }

  /** The snapshot NVML plus the miner would give at `tsMs`; all null while off the bus. */
  snapshot(tsMs: number): Snapshot {
    return gpuSnapshot(this, tsMs);
  }

  /** Adds or removes a fault and recomputes what the active faults do to this GPU. */
  setFault(fault: ActiveFault, active: boolean): void {
    const wasOff = this.#fx.offBus;
    this.#faults = active ? [...this.#faults, fault] : this.#faults.filter((f) => f !== fault);
    this.#fx = combineFaults(this.#faults);
    if (wasOff && !this.#fx.offBus) this.#recoverFromCrash();
  }

  /** After a driver reload the miner restarts: counters from zero, hash-rate windows empty. */
  #recoverFromCrash(): void {
    this.shares.reset();
    this.hwErrors = 0;
    this.energyJ = 0;
    this.hashrate5s = this.hashrate1m = this.hashrate15m = 0;
  }

  #write(
    requested: number | null,
    min: number,
    max: number,
    set: (v: number | null) => void,
  ): ActuatorResult {
    if (this.#fx.offBus) return unavailableWrite(requested, min, max);
    const result = clampWrite(requested, min, max);
    if (!this.#fx.ignoreWrites) set(result.applied);
    return result;
  }

  /** Power limit (W), within the card's [min, max] limits. */
  setPowerLimit(watts: number): ActuatorResult {
    const p = this.profile;
    return this.#write(watts, p.powerLimitMinW, p.powerLimitMaxW, (v) => {
      this.powerLimitW = v ?? p.powerLimitDefaultW;
    });
  }

  /** Core clock offset (MHz): shifts the V/f curve; past the stable offset errors appear. */
  setCoreOffset(mhz: number): ActuatorResult {
    const p = this.profile;
    return this.#write(mhz, p.coreOffsetMinMhz, p.coreOffsetMaxMhz, (v) => {
      this.coreOffsetMhz = v ?? 0;
      this.#inst = instability(p, this.coreOffsetMhz, this.memOffsetMhz);
    });
  }

  /** Memory clock offset (MHz): past the stable offset hash rate falls and rejects rise. */
  setMemOffset(mhz: number): ActuatorResult {
    const p = this.profile;
    return this.#write(mhz, p.memOffsetMinMhz, p.memOffsetMaxMhz, (v) => {
      this.memOffsetMhz = v ?? 0;
      this.#inst = instability(p, this.coreOffsetMhz, this.memOffsetMhz);
    });
  }

  /** Locks the core clock (MHz) or unlocks it (null); the power cap and thermals still apply. */
  lockCoreClock(mhz: number | null): ActuatorResult {
    const p = this.profile;
    return this.#write(mhz, p.coreMinMhz, p.coreMaxMhz, (v) => {
      this.coreLockMhz = v;
    });
  }

  /** Locks the memory clock (MHz) or unlocks it (null). */
  lockMemClock(mhz: number | null): ActuatorResult {
    const p = this.profile;
    return this.#write(mhz, p.memMinMhz, p.memMaxMhz, (v) => {
      this.memLockMhz = v;
    });
  }

  /** Manual fan speed (%) or back to the automatic curve (null); unsupported on fanless cards. */
  setFan(pct: number | null): ActuatorResult {
    const p = this.profile;
    if (!p.hasFan) return unsupportedWrite(pct);
    return this.#write(pct, p.fanMinPct, 100, (v) => {
      this.fanManualPct = v;
    });
  }
}
