// Noise-free steady state of a simulated device at a chosen power limit: a twin with the same model,
// settings, faults and air runs the physics alone, so a bench can find the true optimum by a sweep.

import { SimAsic } from './asic-device.ts';
import type { ActiveFault } from './faults.ts';
import type { Fleet } from './fleet.ts';
import { SimGpu } from './gpu-device.ts';
import { Rng } from './rng.ts';

/** One device's noise-free steady state at one power limit (GPU) or power target (ASIC). */
export interface SteadyPoint {
  /** The power limit / target asked for, W. */
  readonly powerLimitW: number;
  /** True hash rate, H/s, and power, W (ASIC: wall power), time-averaged over the last minutes. */
  readonly hashrateHs: number;
  readonly powerW: number;
  /** Mean of hash rate / power over the averaging window, H/J (what validation measures, noise-free). */
  readonly efficiencyHPerJ: number;
  /** GPU die or hottest ASIC chip sensor, and memory junction (null on ASICs), °C. */
  readonly tempCoreC: number;
  readonly tempMemC: number | null;
  /** Commanded fan %, null on a fanless card. */
  readonly fanPct: number | null;
}

/** How long the twin runs before and while it averages, s. */
export interface SteadyOptions {
  /** Warm-up from ambient, s (default 1800: twenty heatsink time constants). */
  readonly settleS?: number;
  /** Averaging window after the warm-up, s (default 300: absorbs limiter cycles). */
  readonly averageS?: number;
  /**
   * `live` (default): the device's current clock locks, offsets and manual fan; `stock`: factory
   * settings (no locks or offsets, automatic fan). Faults and air are the live ones either way.
   */
  readonly settings?: 'live' | 'stock';
}

const DT_S = 5;

/**
 * The noise-free steady state of `device` on `rig` (a GPU, or an ASIC miner's `total`) at each power
 * limit in `powerLimitsW`, with the device's current other settings (clock locks, offsets, manual fan),
 * its active faults and the rig's ambient air at the fleet's current time. Pure with respect to the
 * fleet: the live device is never touched. Throws RT_CONFIG_INVALID for an unknown rig or device.
 */
export function steadyStateCurve(
  fleet: Fleet,
  rig: string,
  device: string,
  powerLimitsW: readonly number[],
  options: SteadyOptions = {},
): SteadyPoint[] {
  const settleS = options.settleS ?? 1800;
  const averageS = options.averageS ?? 300;
  const r = fleet.rig(rig);
  const ambientC = fleet.ambientC(r, fleet.nowMs);
  // A firmware that ignores writes changes the reply, not the physics: the twin takes its limit.
  const faults = fleet.activeFaults().filter((f) => f.label.rig === rig && f.label.kind !== 'ignore_writes');
  const out: SteadyPoint[] = [];
  for (const limit of powerLimitsW) {
    const twin =
      r.asic !== null && device === 'total'
        ? asicTwin(r.asic, faults, options.settings !== 'stock', limit)
        : gpuTwin(fleet.gpu(rig, device), faults, options.settings !== 'stock', limit);
    // Stepped at the fleet's current time, so a thermal-paste drift weighs as it does now.
    for (let t = 0; t < settleS; t += DT_S) twin(fleet.nowMs, ambientC);
    out.push(average(averageS, () => twin(fleet.nowMs, ambientC), limit));
  }
  return out;
}

type Twin = (tMs: number, ambientC: number) => Reading;

function asicTwin(asic: SimAsic, faults: readonly ActiveFault[], live: boolean, limit: number): Twin {
  const twin = new SimAsic(asic.rig, asic.profile, asic.pool, new Rng(0));
  for (const b of twin.boards) b.chipOffsetC.set(asic.boards[b.index].chipOffsetC);
  for (const f of faults) twin.setFault(f, true);
  if (live && asic.fanManualPct !== null) twin.setFan(asic.fanManualPct);
  twin.setPowerTarget(limit);
  return (tMs, ambientC) => {
    twin.step(DT_S, tMs, ambientC);
    let hottest = Number.NEGATIVE_INFINITY;
    let hs = 0;
    for (const b of twin.boards) {
      hottest = Math.max(hottest, twin.sensorMaxC(b) ?? hottest);
      hs += b.rateHs;
    }
    return { hs, w: twin.powerW, core: hottest, mem: null, fan: twin.fanPct };
  };
}

function gpuTwin(gpu: SimGpu, faults: readonly ActiveFault[], live: boolean, limit: number): Twin {
  const twin = new SimGpu(gpu.id, gpu.profile, gpu.algo, gpu.pool, new Rng(0));
  for (const f of faults)
    if (f.label.device === null || f.label.device === gpu.device) twin.setFault(f, true);
  if (live) {
    twin.setCoreOffset(gpu.coreOffsetMhz);
    twin.setMemOffset(gpu.memOffsetMhz);
    twin.lockCoreClock(gpu.coreLockMhz);
    twin.lockMemClock(gpu.memLockMhz);
    if (gpu.profile.hasFan) twin.setFan(gpu.fanManualPct);
  }
  twin.setPowerLimit(limit);
  return (tMs, ambientC) => {
    twin.step(DT_S, tMs, ambientC);
    const fan = gpu.profile.hasFan ? twin.fanPct : null;
    return { hs: twin.hashrateHs, w: twin.powerW, core: twin.tempDieC, mem: twin.tempMemC, fan };
  };
}

interface Reading {
  readonly hs: number;
  readonly w: number;
  readonly core: number;
  readonly mem: number | null;
  readonly fan: number | null;
}

function average(seconds: number, stepOnce: () => Reading, limit: number): SteadyPoint {
  const n = Math.max(1, Math.round(seconds / DT_S));
  let hs = 0;
  let w = 0;
  let eff = 0;
  let core = 0;
  let mem = 0;
  let fan = 0;
  let last: Reading | null = null;
  for (let i = 1; i <= n; i++) {
    const x = stepOnce();
    hs += x.hs;
    w += x.w;
    eff += x.w > 0 ? x.hs / x.w : 0;
    core += x.core;
    mem += x.mem ?? 0;
    fan += x.fan ?? 0;
    last = x;
  }
  return {
    powerLimitW: limit,
    hashrateHs: hs / n,
    powerW: w / n,
    efficiencyHPerJ: eff / n,
    tempCoreC: core / n,
    tempMemC: last?.mem === null ? null : mem / n,
    fanPct: last?.fan === null ? null : fan / n,
  };
}
