// GPU physics as pure functions: V/f curve, power, power-cap clock solving, hash rate of memory- and
// core-bound algorithms, airflow and fan curve. Units: MHz, V, W, °C, W/K, H/s. See README "GPU".

import { ALGORITHMS, type AlgorithmName, type GpuProfile } from './gpu-profiles.ts';

/**
 * Core voltage (V) the V/f curve gives at core clock `fMhz` with a core clock offset `offsetMhz`:
 * an offset shifts the curve right (the same voltage then runs `offsetMhz` faster), which is how
 * NVIDIA clock offsets behave. Flat `vMinV` up to the knee, then linear to `vMaxV` at `coreMaxMhz`.
 */
export function voltageAt(p: GpuProfile, fMhz: number, offsetMhz: number): number {
  const f = fMhz - offsetMhz;
  if (f <= p.vKneeMhz) return p.vMinV;
  const x = (f - p.vKneeMhz) / (p.coreMaxMhz - p.vKneeMhz);
  return p.vMinV + (p.vMaxV - p.vMinV) * Math.min(x, 1.2);
}

/** Static + leakage power (W) at die temperature `tempC`: leakage grows ~linearly with temperature. */
export function staticPowerW(p: GpuProfile, tempC: number): number {
  return p.staticW * (1 + p.leakagePerC * (tempC - 25));
}

/** Dynamic core power (W): P = k·activity·f·V². */
export function corePowerW(p: GpuProfile, algo: AlgorithmName, fMhz: number, offsetMhz: number): number {
  const v = voltageAt(p, fMhz, offsetMhz);
  return p.coreWPerMhzV2 * ALGORITHMS[algo].coreActivity * fMhz * v * v;
}

/** Memory power (W): proportional to memory clock and memory activity. */
export function memPowerW(p: GpuProfile, algo: AlgorithmName, memMhz: number): number {
  return p.memWPerMhz * ALGORITHMS[algo].memActivity * memMhz;
}

/** Board power (W) at the given clocks and die temperature. */
export function boardPowerW(
  p: GpuProfile,
  algo: AlgorithmName,
  coreMhz: number,
  memMhz: number,
  offsetMhz: number,
  tempC: number,
): number {
  return staticPowerW(p, tempC) + corePowerW(p, algo, coreMhz, offsetMhz) + memPowerW(p, algo, memMhz);
}

/**
 * The highest core clock in [coreMinMhz, ceilingMhz] whose board power fits `limitW` (bisection;
 * power rises monotonically with clock). Returns coreMinMhz when even that does not fit.
 */
export function fitCoreClockMhz(
  p: GpuProfile,
  algo: AlgorithmName,
  ceilingMhz: number,
  memMhz: number,
  offsetMhz: number,
  tempC: number,
  limitW: number,
): number {
  const fixedW = staticPowerW(p, tempC) + memPowerW(p, algo, memMhz);
  if (fixedW + corePowerW(p, algo, ceilingMhz, offsetMhz) <= limitW) return ceilingMhz;
  let lo = p.coreMinMhz;
  let hi = ceilingMhz;
  if (fixedW + corePowerW(p, algo, lo, offsetMhz) > limitW) return lo;
  for (let i = 0; i < 24 && hi - lo > 0.05; i++) {
    const mid = 0.5 * (lo + hi);
    if (fixedW + corePowerW(p, algo, mid, offsetMhz) <= limitW) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The highest memory clock in [memMinMhz, ceilingMhz] that fits `limitW` with the core at `coreMhz`
 * (memory power is linear in clock, so this is closed form). Used when the core is already at its
 * minimum and the card is still over its limit, as real cards then drop to a lower P-state.
 */
export function fitMemClockMhz(
  p: GpuProfile,
  algo: AlgorithmName,
  ceilingMhz: number,
  coreMhz: number,
  offsetMhz: number,
  tempC: number,
  limitW: number,
): number {
  const spareW = limitW - staticPowerW(p, tempC) - corePowerW(p, algo, coreMhz, offsetMhz);
  const perMhz = p.memWPerMhz * ALGORITHMS[algo].memActivity;
  return Math.max(p.memMinMhz, Math.min(ceilingMhz, spareW / perMhz));
}

/** Smooth saturation x/(1+x⁸)^⅛: ≈x for small x, → 1 for large x (0.92 at x = 1, 0.996 at 1.5). */
function saturate(x: number): number {
  const x2 = x * x;
  const x4 = x2 * x2;
  return x / Math.sqrt(Math.sqrt(Math.sqrt(1 + x4 * x4)));
}

/**
 * Ideal hash rate (H/s) at the given clocks. Ethash: ∝ memory clock, times a saturating function
 * of core clock (the core only has to keep up with memory). KawPow: ∝ core clock, mildly limited by
 * memory below `kawpowMemSatMhz`.
 */
export function idealHashrate(p: GpuProfile, algo: AlgorithmName, coreMhz: number, memMhz: number): number {
  if (algo === 'ethash') return p.ethashHPerMemMhz * memMhz * saturate(coreMhz / p.ethashCoreSatMhz);
  return p.kawpowHPerCoreMhz * coreMhz * (0.8 + 0.2 * saturate(memMhz / p.kawpowMemSatMhz));
}

/** What clock offsets beyond the card's stable range cost: hash-rate factor, extra reject probability, errors/s. */
export interface Instability {
  readonly hashFactor: number;
  readonly rejectProb: number;
  readonly errorsPerS: number;
}

/**
 * Overclock penalties. Memory past its stable offset: GDDR6X error detection replays transfers, so
 * effective hash rate falls (quadratically in the excess) and some results are wrong (rejects).
 * Core past its stable offset: the voltage is too low for the clock, so computation errors grow
 * exponentially with the excess (miner-reported invalid shares, rejects).
 */
export function instability(p: GpuProfile, coreOffsetMhz: number, memOffsetMhz: number): Instability {
  const memOver = Math.max(0, memOffsetMhz - p.memOffsetStableMhz);
  const coreOver = Math.max(0, coreOffsetMhz - p.coreOffsetStableMhz);
  const hashFactor = Math.max(0.3, 1 - 0.6 * (memOver / 500) ** 2);
  const rejectProb = Math.min(0.5, 0.02 * (memOver / 100) + 0.01 * (coreOver / 25) ** 2);
  const errorsPerS = coreOver > 0 ? 0.002 * Math.exp(coreOver / 25) : 0;
  return { hashFactor, rejectProb, errorsPerS };
}

/**
 * Heatsink-to-air conductance (W/K) at fan/airflow `pct`: natural convection plus forced
 * convection growing as airflow^0.8 (turbulent heat-transfer coefficient ∝ velocity^0.8).
 */
export function airflowConductance(p: GpuProfile, pct: number): number {
  const a = Math.max(0, pct) / 100;
  return p.gNaturalWPerK + p.gForcedFullWPerK * a ** 0.8;
}

/** Auto fan speed (%) from die temperature: piecewise linear over the profile's curve. */
export function fanCurvePct(p: GpuProfile, tempC: number): number {
  const c = p.fanCurve;
  if (c.length === 0) return 0;
  if (tempC <= c[0][0]) return c[0][1];
  for (let i = 1; i < c.length; i++) {
    if (tempC <= c[i][0]) {
      const [t0, f0] = c[i - 1];
      const [t1, f1] = c[i];
      return f0 + ((f1 - f0) * (tempC - t0)) / (t1 - t0);
    }
  }
  return c[c.length - 1][1];
}
