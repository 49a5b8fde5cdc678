// One simulated ASIC miner (S19-class): hashboards of chips with per-chip temperatures, a power-target
// frequency controller, fan control on the hottest chip, HW errors, shares; per-board + total snapshots.

import type { Snapshot } from '../core/snapshot.ts';
import { type ActuatorResult, clampWrite } from './actuators.ts';
import {
  type AsicProfile,
  asicConductance,
  boardPowerW,
  boardVoltageV,
  hwErrorRate,
  wallPowerW,
} from './asic-model.ts';
import { asicSnapshots } from './asic-snapshot.ts';
import { combineFaults, pasteFactor } from './fault-effects.ts';
import type { ActiveFault } from './faults.ts';
import type { Rng } from './rng.ts';
import { drawShares, ShareCounters, type SimPool } from './shares.ts';
import { LagCache, stepLimiter } from './thermal.ts';

/** One hashboard: chips (alive or dead), frequency, chip-base temperature, counters. */
export interface AsicBoard {
  readonly index: number;
  /** False when the board dropped out entirely (not detected). */
  present: boolean;
  /** Per chip: 1 = hashing, 0 = failed ('x' in chain_acs). */
  readonly alive: Uint8Array;
  aliveChips: number;
  freqMhz: number;
  voltageV: number;
  /** Temperature of the coolest (inlet-side) chips, °C; each chip adds its offset. */
  tempBaseC: number;
  /** Static per-chip offsets over the base: inlet→outlet gradient plus scatter (K). */
  readonly chipOffsetC: Float64Array;
  /** Chip indices of the board's four temperature sensors (two inlet-side, two outlet-side). */
  readonly sensorChips: readonly number[];
  thermalCapMhz: number;
  powerW: number;
  /** True hash rate and the miner's 5 s reading (H/s). */
  rateHs: number;
  rate5s: number;
  hwErrors: number;
  pasteFaults: ActiveFault[];
}

const FAN_TAU_S = 3;

export class SimAsic {
  readonly type = 'asic' as const;
  readonly rig: string;
  readonly profile: AsicProfile;
  /** `miner_id` the API reports (hex, from the seed). */
  readonly minerId: string;
  readonly boards: AsicBoard[];
  /** Nominal hash rate of all boards at the default frequency (H/s): `total_rateideal`. */
  readonly idealHs: number;

  powerTargetW: number;
  fanManualPct: number | null = null;
  fanPct: number;
  fanActualPct: number;
  readonly fanFail: Float64Array;
  powerW = 0;
  reportedPowerW = 0;
  energyJ = 0;
  hashrate5s = 0;
  hashrate1m = 0;
  hashrate30m = 0;
  totalHashes = 0;
  elapsedS = 0;
  bestShare = 0;
  lastShareMs: number | null = null;
  readonly shares = new ShareCounters();
  readonly pool: SimPool;

  #faults: ActiveFault[] = [];
  #psuSag = 0;
  #ignoreWrites = false;
  #airflow = 1;
  readonly #rng: Rng;
  readonly #lagBoard: LagCache;
  readonly #lagFan = new LagCache(FAN_TAU_S);
  readonly #lag1m = new LagCache(60);
  readonly #lag30m = new LagCache(1800);

  constructor(rig: string, profile: AsicProfile, pool: SimPool, rng: Rng) {
    this.rig = rig;
    this.profile = profile;
    this.pool = pool;
    this.#rng = rng;
    this.minerId = (rng.nextU32().toString(16) + rng.nextU32().toString(16)).padStart(16, '0').slice(0, 16);
    this.powerTargetW = profile.powerTargetDefaultW;
    this.fanPct = this.fanActualPct = 60;
    this.fanFail = new Float64Array(profile.fanCount);
    this.#lagBoard = new LagCache(profile.tauBoardS);
    const n = profile.chipsPerBoard;
    const sensors = [0.04, 0.12, 0.88, 0.96].map((x) => Math.round(x * (n - 1)));
    this.boards = [];
    for (let b = 0; b < profile.boards; b++) {
      const offsets = new Float64Array(n);
      for (let j = 0; j < n; j++)
        offsets[j] = (profile.chipGradientC * j) / (n - 1) + profile.chipSpreadC * rng.normal();
      this.boards.push({
        index: b,
        present: true,
        alive: new Uint8Array(n).fill(1),
        aliveChips: n,
        freqMhz: profile.freqDefaultMhz,
        voltageV: boardVoltageV(profile, profile.freqDefaultMhz),
        tempBaseC: 25,
        chipOffsetC: offsets,
        sensorChips: sensors,
        thermalCapMhz: profile.freqMaxMhz,
        powerW: 0,
        rateHs: 0,
        rate5s: 0,
        hwErrors: 0,
        pasteFaults: [],
      });
    }
    this.idealHs = profile.boards * n * profile.hashPerChipMhz * profile.freqDefaultMhz;
  }

  /** Hottest of a board's four sensor chips (°C), null when the board is absent. */
  sensorMaxC(board: AsicBoard): number | null {
    if (!board.present) return null;
    let max = -Infinity;
    for (const j of board.sensorChips) max = Math.max(max, board.tempBaseC + board.chipOffsetC[j]);
    return max;
  }

  /** Temperatures (°C) of a board's four sensor chips, inlet to outlet; null when absent. */
  sensorTempsC(board: AsicBoard): number[] | null {
    if (!board.present) return null;
    return board.sensorChips.map((j) => board.tempBaseC + board.chipOffsetC[j]);
  }

  /** Runs the noise-free physics for `seconds` so a trace starts in thermal steady state. */
  settle(ambientC: number, seconds = 900, dtS = 5): void {
    for (const b of this.boards) b.tempBaseC = ambientC;
    for (let t = 0; t < seconds; t += dtS) this.#physics(dtS, 0, ambientC);
    for (const b of this.boards) b.rate5s = b.rateHs;
    this.hashrate5s = this.hashrate1m = this.hashrate30m = this.#sumRate();
    this.reportedPowerW = this.powerW;
  }

  #sumRate(): number {
    let s = 0;
    for (const b of this.boards) s += b.rateHs;
    return s;
  }

  /** Power (W, wall) the miner would draw with every board at `freqMhz` (capped per board). */
  #wallAt(freqMhz: number): number {
    const p = this.profile;
    let boardsW = 0;
    for (const b of this.boards) {
      if (!b.present) continue;
      const f = Math.min(freqMhz, b.thermalCapMhz);
      const v = boardVoltageV(p, f) * (1 - 0.04 * this.#psuSag);
      boardsW += boardPowerW(p, f, v, b.aliveChips / p.chipsPerBoard, b.tempBaseC);
    }
    return wallPowerW(p, boardsW, this.fanActualPct);
  }

  /** The highest frequency (MHz, on the firmware's step grid) whose wall power fits the power target. */
  #targetFreq(): number {
    const p = this.profile;
    let lo = p.freqMinMhz;
    let hi = p.freqMaxMhz;
    if (this.#wallAt(hi) <= this.powerTargetW) return hi;
    if (this.#wallAt(lo) > this.powerTargetW) return lo;
    while (hi - lo > 0.5) {
      const mid = 0.5 * (lo + hi);
      if (this.#wallAt(mid) <= this.powerTargetW) lo = mid;
      else hi = mid;
    }
    return Math.floor(lo / p.freqStepMhz) * p.freqStepMhz;
  }

  #physics(dtS: number, tMs: number, ambientC: number): void {
    const p = this.profile;
    // Power target: cuts apply at once, increases are retuned gradually (5 MHz/s), as firmware does.
    const target = this.#targetFreq();
    const current = this.boards[0].freqMhz;
    const setpoint = target < current ? target : Math.min(target, current + 5 * dtS);
    let boardsW = 0;
    let hottest = -Infinity;
    const g = asicConductance(p, this.fanActualPct, this.#airflow);
    const lag = this.#lagBoard.factor(dtS);
    for (const b of this.boards) {
      b.freqMhz = Math.min(setpoint, b.thermalCapMhz);
      b.voltageV = boardVoltageV(p, b.freqMhz) * (1 - 0.04 * this.#psuSag);
      if (b.present) {
        b.powerW = boardPowerW(p, b.freqMhz, b.voltageV, b.aliveChips / p.chipsPerBoard, b.tempBaseC);
        // An undervolted board returns bad nonces: that work is lost.
        const lost = Math.min(0.5, 5 * 0.04 * this.#psuSag);
        b.rateHs = b.aliveChips * p.hashPerChipMhz * b.freqMhz * (1 - lost);
      } else {
        b.powerW = 0;
        b.rateHs = 0;
      }
      const paste = pasteFactor(b.pasteFaults, tMs, 1);
      const ss = ambientC + (b.powerW / g) * paste;
      b.tempBaseC += (ss - b.tempBaseC) * lag;
      boardsW += b.powerW;
      const hot = this.sensorMaxC(b);
      if (hot !== null) {
        hottest = Math.max(hottest, hot);
        b.thermalCapMhz = stepLimiter(
          b.thermalCapMhz,
          hot,
          p.chipHotC,
          dtS,
          5,
          2,
          p.freqMinMhz,
          p.freqMaxMhz,
        );
      }
    }
    // Fan control: integral action holding the hottest chip sensor at the target.
    const auto = hottest === -Infinity ? p.fanMinPct : this.fanPct + 0.5 * (hottest - p.chipTargetC) * dtS;
    this.fanPct = this.fanManualPct ?? Math.min(100, Math.max(p.fanMinPct, auto));
    this.fanActualPct += (this.fanPct - this.fanActualPct) * this.#lagFan.factor(dtS);
    this.powerW = wallPowerW(p, boardsW, this.fanActualPct);
  }

  /** Advances the miner by `dtS` seconds at simulation time `tMs` with inlet air at `ambientC`. */
  step(dtS: number, tMs: number, ambientC: number): void {
    this.#physics(dtS, tMs, ambientC);
    const p = this.profile;
    const rng = this.#rng;
    const undervolt = 0.04 * this.#psuSag;
    let total = 0;
    for (const b of this.boards) {
      if (!b.present) {
        b.rate5s = 0;
        continue;
      }
      b.rate5s = Math.max(0, b.rateHs * (1 + 0.01 * rng.normal()));
      total += b.rate5s;
      const ideal = b.aliveChips * p.hashPerChipMhz * p.freqDefaultMhz;
      const rate = ideal > 0 ? b.rateHs / ideal : 0;
      b.hwErrors += rng.poisson(hwErrorRate(p, rate, this.sensorMaxC(b) ?? 25, undervolt) * dtS);
    }
    this.hashrate5s = total;
    this.hashrate1m += (total - this.hashrate1m) * this.#lag1m.factor(dtS);
    this.hashrate30m += (total - this.hashrate30m) * this.#lag30m.factor(dtS);
    this.totalHashes += this.#sumRate() * dtS;
    this.elapsedS += dtS;
    this.reportedPowerW = this.powerW * (1 + 0.004 * rng.normal());
    this.energyJ += this.powerW * dtS;
    const before = this.shares.accepted;
    const cfg = this.pool.config;
    drawShares(
      rng,
      this.shares,
      this.#sumRate(),
      dtS,
      cfg.difficulty,
      cfg.hashesPerDiff,
      this.pool.rejectProb(0.01 * this.#psuSag),
      this.pool.staleProb(),
    );
    const found = this.shares.accepted - before;
    if (found > 0) {
      this.lastShareMs = tMs;
      // The best of `found` shares: difficulty/U for the largest of `found` uniforms' complements.
      const u = 1 - rng.next() ** (1 / found);
      this.bestShare = Math.max(this.bestShare, Math.floor(cfg.difficulty / Math.max(u, 1e-12)));
    }
  }

  /** HW errors of all boards. */
  get hwErrors(): number {
    let s = 0;
    for (const b of this.boards) s += b.hwErrors;
    return s;
  }

  /** Fan speeds (RPM) the tachometers read: a failed fan reads its reduced speed, 0 when dead. */
  fanRpms(): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.profile.fanCount; k++)
      out.push(Math.round((this.fanActualPct / 100) * this.profile.fanMaxRpm * (1 - this.fanFail[k])));
    return out;
  }

  /** Snapshots at `tsMs`: one per fitted board (`board0`…), then the miner total (`total`). */
  snapshots(tsMs: number): Snapshot[] {
    return asicSnapshots(this, tsMs);
  }

  /** Adds or removes a fault and recomputes its effects (fans, boards, supply, firmware). */
  setFault(fault: ActiveFault, active: boolean): void {
    this.#faults = active ? [...this.#faults, fault] : this.#faults.filter((f) => f !== fault);
    const p = this.profile;
    this.fanFail.fill(0);
    for (const b of this.boards) {
      b.pasteFaults = [];
      b.alive.fill(1);
    }
    const loss = new Float64Array(this.boards.length);
    for (const f of this.#faults) {
      const s = f.label.severity;
      const board = boardIndex(f.label.device);
      if (f.label.kind === 'fan_failure')
        this.fanFail[f.index % p.fanCount] = Math.max(this.fanFail[f.index % p.fanCount], s);
      else if (f.label.kind === 'thermal_paste' && board !== null) this.boards[board].pasteFaults.push(f);
      else if (f.label.kind === 'hashboard_dropout' && board !== null) loss[board] = Math.max(loss[board], s);
    }
    for (const b of this.boards) {
      const dead = Math.round(loss[b.index] * p.chipsPerBoard);
      // Failed chips spread evenly along the chain, as a failing voltage domain would take them.
      for (let j = 0; j < p.chipsPerBoard; j++)
        if (Math.floor((j * dead) / p.chipsPerBoard) !== Math.floor(((j + 1) * dead) / p.chipsPerBoard))
          b.alive[j] = 0;
      b.aliveChips = p.chipsPerBoard - dead;
      b.present = dead < p.chipsPerBoard;
    }
    let failed = 0;
    for (const x of this.fanFail) failed += x;
    // One stalled fan of the four in the push-pull tunnel also blocks part of the flow: −45 % airflow.
    this.#airflow = Math.max(0.1, 1 - 0.45 * failed);
    const fx = combineFaults(this.#faults);
    this.#psuSag = fx.psuSag;
    this.#ignoreWrites = fx.ignoreWrites;
  }

  /** Power target (W) within the model's limits: the firmware retunes frequency to fit it. */
  setPowerTarget(watts: number): ActuatorResult {
    const p = this.profile;
    const r = clampWrite(watts, p.powerTargetMinW, p.powerTargetMaxW);
    if (!this.#ignoreWrites) this.powerTargetW = r.applied ?? p.powerTargetDefaultW;
    return r;
  }

  /** Manual fan speed (%) or back to automatic (null). */
  setFan(pct: number | null): ActuatorResult {
    const r = clampWrite(pct, this.profile.fanMinPct, 100);
    if (!this.#ignoreWrites) this.fanManualPct = r.applied;
    return r;
  }
}

/** `board2` → 2; anything else → null. */
export function boardIndex(device: string | null): number | null {
  const m = device === null ? null : /^board(\d+)$/.exec(device);
  return m ? Number(m[1]) : null;
}
