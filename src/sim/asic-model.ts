// ASIC physics as pure functions and the S19-class calibration: board power from frequency and
// voltage, power-target frequency solving, HW-error rate vs temperature and undervolt, airflow.

/** An ASIC miner model. Frequencies MHz, voltages V, power W, temperatures °C, conductance W/K. */
export interface AsicProfile {
  readonly key: string;
  /** `Type` in the API, e.g. "Antminer S19 Pro". */
  readonly model: string;
  readonly minerVersion: string;
  readonly compileTime: string;
  /** Hashboards fitted, and slots the firmware reports (absent slots read empty). */
  readonly boards: number;
  readonly slots: number;
  readonly chipsPerBoard: number;
  readonly freqDefaultMhz: number;
  readonly freqMinMhz: number;
  readonly freqMaxMhz: number;
  readonly freqStepMhz: number;
  /** Hash rate per chip per MHz (H/s/MHz). */
  readonly hashPerChipMhz: number;
  /** Board voltage the chips need at frequency f: v0 + perMhz·f. */
  readonly vBoard0V: number;
  readonly vBoardPerMhz: number;
  /** Dynamic board power P = k·f·V² (W per MHz·V²); static board power at 25 °C and its rise per °C. */
  readonly boardWPerMhzV2: number;
  readonly boardStaticW: number;
  readonly leakagePerC: number;
  readonly controlW: number;
  readonly psuEfficiency: number;
  readonly fanCount: number;
  readonly fanMaxRpm: number;
  /** Electrical power of one fan at 100 % (fan power ∝ speed³). */
  readonly fanMaxW: number;
  readonly fanMinPct: number;
  readonly powerTargetDefaultW: number;
  readonly powerTargetMinW: number;
  readonly powerTargetMaxW: number;
  /** Board → air conductance: natural plus forced at 100 % fans (W/K); board time constant (s). */
  readonly gNaturalWPerK: number;
  readonly gForcedFullWPerK: number;
  readonly tauBoardS: number;
  /** Inlet-to-outlet chip temperature rise along a board (K) and chip-to-chip scatter (K, 1σ). */
  readonly chipGradientC: number;
  readonly chipSpreadC: number;
  /** Fan control holds the hottest chip sensor at `chipTargetC`; above `chipHotC` the frequency drops. */
  readonly chipTargetC: number;
  readonly chipHotC: number;
  /** HW errors per board per second at nominal rate and `hwRefC`, e-folding per `hwTempScaleC`. */
  readonly hwBasePerS: number;
  readonly hwRefC: number;
  readonly hwTempScaleC: number;
  /** Relative undervolt that multiplies the HW-error rate by e. */
  readonly hwUndervoltScale: number;
  /** Pool share difficulty (SHA-256 units: ×2^32 hashes). */
  readonly poolDifficulty: number;
}

/**
 * Antminer S19 Pro-class: 3 boards × 114 chips at 525 MHz, 110 TH/s nominal at ~3250 W from the
 * wall (S19 Pro spec sheet; fixture P2 `stats.json`: `total_rateideal` 110000 GH, 4 fans ≤ 6000 RPM,
 * chip sensors ~15 °C hotter at the outlet than at the inlet).
 */
export const S19_PRO: AsicProfile = {
  key: 's19pro',
  model: 'Antminer S19 Pro',
  minerVersion: '49.0.1.3',
  compileTime: 'Tue Dec 6 16:12:30 CST 2022',
  boards: 3,
  slots: 4,
  chipsPerBoard: 114,
  freqDefaultMhz: 525,
  freqMinMhz: 250,
  freqMaxMhz: 650,
  freqStepMhz: 5,
  hashPerChipMhz: 110e12 / (342 * 525),
  vBoard0V: 12.0,
  vBoardPerMhz: 0.003,
  boardWPerMhzV2: 930 / (525 * (12.0 + 0.003 * 525) ** 2),
  boardStaticW: 40,
  leakagePerC: 0.005,
  controlW: 15,
  psuEfficiency: 0.93,
  fanCount: 4,
  fanMaxRpm: 6000,
  fanMaxW: 30,
  fanMinPct: 30,
  powerTargetDefaultW: 3250,
  powerTargetMinW: 1000,
  powerTargetMaxW: 3600,
  gNaturalWPerK: 1.5,
  gForcedFullWPerK: 40,
  tauBoardS: 60,
  chipGradientC: 15,
  chipSpreadC: 1.5,
  chipTargetC: 75,
  chipHotC: 90,
  hwBasePerS: 0.01,
  hwRefC: 80,
  hwTempScaleC: 6,
  hwUndervoltScale: 0.01,
  poolDifficulty: 262_144,
};

export const ASIC_PROFILES: Readonly<Record<string, AsicProfile>> = { s19pro: S19_PRO };

/** Board voltage (V) the chips need at `freqMhz`. */
export function boardVoltageV(p: AsicProfile, freqMhz: number): number {
  return p.vBoard0V + p.vBoardPerMhz * freqMhz;
}

/** Power (W, DC) of one board with `aliveFrac` of its chips hashing, at chip-base temperature `tempC`. */
export function boardPowerW(
  p: AsicProfile,
  freqMhz: number,
  voltageV: number,
  aliveFrac: number,
  tempC: number,
): number {
  const stat = p.boardStaticW * (1 + p.leakagePerC * (tempC - 25));
  return stat + aliveFrac * p.boardWPerMhzV2 * freqMhz * voltageV * voltageV;
}

/** Electrical power of the fans (W) at `pct` each: fan power grows with the cube of speed. */
export function fanPowerW(p: AsicProfile, pct: number): number {
  return p.fanCount * p.fanMaxW * (pct / 100) ** 3;
}

/** Wall power (W): boards and control board through the PSU, plus fans. */
export function wallPowerW(p: AsicProfile, boardsW: number, fanPct: number): number {
  return (boardsW + p.controlW) / p.psuEfficiency + fanPowerW(p, fanPct);
}

/** Board → air conductance (W/K) at fan speed `pct` scaled by an airflow factor (failed fans). */
export function asicConductance(p: AsicProfile, pct: number, airflowFactor: number): number {
  return p.gNaturalWPerK + p.gForcedFullWPerK * ((Math.max(0, pct) / 100) * airflowFactor) ** 0.8;
}

/**
 * HW errors per second of one board: proportional to its hash rate, growing exponentially with
 * the hottest chip's temperature and with the relative undervolt `undervolt` (0 = nominal).
 */
export function hwErrorRate(p: AsicProfile, rateFrac: number, chipMaxC: number, undervolt: number): number {
  return (
    p.hwBasePerS *
    rateFrac *
    Math.exp((chipMaxC - p.hwRefC) / p.hwTempScaleC) *
    Math.exp(Math.max(0, undervolt) / p.hwUndervoltScale)
  );
}
