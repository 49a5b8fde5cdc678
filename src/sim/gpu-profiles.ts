// Card profiles and mining algorithms of the GPU model: the calibration numbers in one place, with
// units, so the physics in gpu-model.ts stays free of magic constants. Sources of each figure inline.

/** Mining algorithm families: how hash rate depends on the clocks, and the pool's share size. */
export const ALGORITHMS = {
  /**
   * Ethash-like, memory-bound: each hash reads 64 random 128-byte DAG pages, so hash rate ∝ memory
   * clock and saturates in core clock. The core is half idle waiting on memory: activity 0.55.
   */
  ethash: { coreActivity: 0.55, memActivity: 1.0, shareDiffH: 4e9, jobIntervalMs: 13_000 },
  /** KawPow-like (ProgPoW), core-bound: random math per DAG access; hash rate ∝ core clock. */
  kawpow: { coreActivity: 1.0, memActivity: 0.6, shareDiffH: 1e9, jobIntervalMs: 60_000 },
} as const;

export type AlgorithmName = keyof typeof ALGORITHMS;
export const ALGORITHM_NAMES = Object.keys(ALGORITHMS) as AlgorithmName[];

/** One GPU model's calibration. Clocks in MHz, power in W, temperatures in °C, conductances in W/K. */
export interface GpuProfile {
  readonly key: string;
  /** Name as NVML reports it. */
  readonly model: string;
  /** Lowest and highest core clock the V/f table has; clocks snap to `clockStepMhz` bins. */
  readonly coreMinMhz: number;
  readonly coreMaxMhz: number;
  /** Boost ceiling at stock settings (no offset, no lock). */
  readonly coreBoostMhz: number;
  readonly clockStepMhz: number;
  readonly memDefaultMhz: number;
  readonly memMinMhz: number;
  readonly memMaxMhz: number;
  /** Offset ranges the driver accepts, and the largest offsets that stay error-free on this card. */
  readonly coreOffsetMinMhz: number;
  readonly coreOffsetMaxMhz: number;
  readonly memOffsetMinMhz: number;
  readonly memOffsetMaxMhz: number;
  readonly coreOffsetStableMhz: number;
  readonly memOffsetStableMhz: number;
  /** V/f curve: `vMinV` up to the knee, then linear to `vMaxV` at `coreMaxMhz`. */
  readonly vMinV: number;
  readonly vMaxV: number;
  readonly vKneeMhz: number;
  /** Static (leakage) power at 25 °C and its rise per °C of die temperature (fraction). */
  readonly staticW: number;
  readonly leakagePerC: number;
  /** Dynamic core power coefficient k in P = k·activity·f·V² (W per MHz·V²). */
  readonly coreWPerMhzV2: number;
  /** Memory power per MHz of memory clock at full memory activity (W/MHz). */
  readonly memWPerMhz: number;
  readonly powerLimitDefaultW: number;
  readonly powerLimitMinW: number;
  readonly powerLimitMaxW: number;
  /** Die → heatsink thermal resistance (K/W) and the two time constants (s). */
  readonly rJunctionKPerW: number;
  readonly tauDieS: number;
  readonly tauSinkS: number;
  /** Heatsink → air conductance: natural convection plus forced airflow at 100 % (W/K). */
  readonly gNaturalWPerK: number;
  readonly gForcedFullWPerK: number;
  /** Memory junction: K per W of memory power at 70 % airflow, coupling to the heatsink, time constant. */
  readonly memRKPerW: number;
  readonly memCoupling: number;
  readonly tauMemS: number;
  /** SW thermal slowdown target, HW slowdown threshold, memory-junction throttle threshold (°C). */
  readonly tempTargetC: number;
  readonly tempHwSlowdownC: number;
  readonly memTempLimitC: number;
  /** Own fans (consumer card) or chassis airflow only (datacenter card: fan_pct is not reported). */
  readonly hasFan: boolean;
  readonly fanMaxRpm: number;
  readonly fanMinPct: number;
  /** Auto fan curve: [die °C, fan %] points, linear between, flat outside. */
  readonly fanCurve: readonly (readonly [number, number])[];
  /** Airflow fraction (%) of a fanless card's chassis fans. */
  readonly chassisAirflowPct: number;
  /** Ethash: H/s per MHz of memory clock; core clock where the core stops limiting (MHz). */
  readonly ethashHPerMemMhz: number;
  readonly ethashCoreSatMhz: number;
  /** KawPow: H/s per MHz of core clock; memory clock below which memory starts to limit (MHz). */
  readonly kawpowHPerCoreMhz: number;
  readonly kawpowMemSatMhz: number;
}

/**
 * RTX 3080 Ti-class (GA102, 12 GB GDDR6X): 350 W TBP, power limit 100–400 W, boost ~1860 MHz,
 * memory 9501 MHz as nvidia-smi reports it. Ethash ~110 MH/s stock (GDDR6X bound), KawPow ~30 MH/s.
 * The GDDR6X junction runs ~100 °C at stock fan speeds and throttles at 110 °C.
 */
export const RTX_3080_TI: GpuProfile = {
  key: 'rtx3080ti',
  model: 'NVIDIA GeForce RTX 3080 Ti',
  coreMinMhz: 210,
  coreMaxMhz: 2100,
  coreBoostMhz: 1860,
  clockStepMhz: 15,
  memDefaultMhz: 9501,
  memMinMhz: 405,
  memMaxMhz: 11501,
  coreOffsetMinMhz: -500,
  coreOffsetMaxMhz: 300,
  memOffsetMinMhz: -1000,
  memOffsetMaxMhz: 2000,
  coreOffsetStableMhz: 150,
  memOffsetStableMhz: 1200,
  vMinV: 0.7,
  vMaxV: 1.081,
  vKneeMhz: 1000,
  staticW: 30,
  leakagePerC: 0.006,
  coreWPerMhzV2: 0.139,
  memWPerMhz: 0.0105,
  powerLimitDefaultW: 350,
  powerLimitMinW: 100,
  powerLimitMaxW: 400,
  rJunctionKPerW: 0.04,
  tauDieS: 3,
  tauSinkS: 60,
  gNaturalWPerK: 2.5,
  gForcedFullWPerK: 11.4,
  memRKPerW: 0.52,
  memCoupling: 0.5,
  tauMemS: 30,
  tempTargetC: 83,
  tempHwSlowdownC: 93,
  memTempLimitC: 110,
  hasFan: true,
  fanMaxRpm: 3300,
  fanMinPct: 30,
  fanCurve: [
    [40, 30],
    [60, 50],
    [75, 75],
    [85, 100],
  ],
  chassisAirflowPct: 0,
  ethashHPerMemMhz: 11_580,
  ethashCoreSatMhz: 1150,
  kawpowHPerCoreMhz: 16_700,
  kawpowMemSatMhz: 7000,
};

/**
 * A-class datacenter card (H100 SXM-like, HBM3): 700 W cap (min 200 W), SM clock up to 1980 MHz,
 * memory 2619 MHz — calibrated on the real H100 capture (../shared/data/nvidia-h100): 72 W idle,
 * a matrix-multiply load pins it at the 700 W cap with SM ~1365–1455 MHz and 0x4 set, die 56 °C
 * within a second of the load and rising, HBM a few °C below the die. No fans of its own.
 */
export const H100_SXM: GpuProfile = {
  key: 'h100',
  model: 'NVIDIA H100 80GB HBM3',
  coreMinMhz: 345,
  coreMaxMhz: 1980,
  coreBoostMhz: 1980,
  clockStepMhz: 15,
  memDefaultMhz: 2619,
  memMinMhz: 1593,
  memMaxMhz: 2619,
  coreOffsetMinMhz: -300,
  coreOffsetMaxMhz: 0,
  memOffsetMinMhz: -1026,
  memOffsetMaxMhz: 0,
  coreOffsetStableMhz: 0,
  memOffsetStableMhz: 0,
  vMinV: 0.67,
  vMaxV: 1.0,
  vKneeMhz: 900,
  staticW: 50,
  leakagePerC: 0.005,
  coreWPerMhzV2: 0.612,
  memWPerMhz: 0.027,
  powerLimitDefaultW: 700,
  powerLimitMinW: 200,
  powerLimitMaxW: 700,
  rJunctionKPerW: 0.026,
  tauDieS: 1.5,
  tauSinkS: 90,
  gNaturalWPerK: 1.5,
  gForcedFullWPerK: 30,
  memRKPerW: 0.12,
  memCoupling: 0.6,
  tauMemS: 20,
  tempTargetC: 87,
  tempHwSlowdownC: 92,
  memTempLimitC: 95,
  hasFan: false,
  fanMaxRpm: 0,
  fanMinPct: 0,
  fanCurve: [],
  chassisAirflowPct: 80,
  ethashHPerMemMhz: 152_700,
  ethashCoreSatMhz: 1100,
  kawpowHPerCoreMhz: 45_000,
  kawpowMemSatMhz: 2000,
};

export const GPU_PROFILES: Readonly<Record<string, GpuProfile>> = { rtx3080ti: RTX_3080_TI, h100: H100_SXM };
