// First-order thermal and control helpers shared by the GPU and ASIC models, and the NVML
// clock-event-reason bits the simulated GPUs report in `throttle_flags`.

/**
 * NVML clock-event (throttle) reason bits, as in nvml.h `nvmlClocksEventReason*` (and the project's
 * protocols/nvml constants): the simulator sets exactly these, never others.
 */
export const THROTTLE = {
  /** 0x4: software power cap: the clock is the highest that fits the power limit. */
  SW_POWER_CAP: 0x4,
  /** 0x8: hardware slowdown; set together with HW thermal slowdown or power brake. */
  HW_SLOWDOWN: 0x8,
  /** 0x20: software thermal slowdown: the die reached its temperature target. */
  SW_THERMAL: 0x20,
  /** 0x40: hardware thermal slowdown: die past its HW slowdown threshold, or memory junction throttling. */
  HW_THERMAL: 0x40,
  /** 0x80: hardware power brake: the board's external power-brake line (PSU sag). */
  HW_POWER_BRAKE: 0x80,
} as const;

/**
 * Fraction of the way a first-order system moves toward its steady state in `dtS` seconds with
 * time constant `tauS`: 1 − e^(−dt/τ). Exact for a constant input over the step, so large steps
 * never overshoot.
 */
export function lagFactor(dtS: number, tauS: number): number {
  return tauS <= 0 ? 1 : 1 - Math.exp(-dtS / tauS);
}

/** Caches `lagFactor` for the last step length (the fleet steps with a fixed dt). */
export class LagCache {
  #dtS = Number.NaN;
  readonly #tauS: number;
  #factor = 0;

  constructor(tauS: number) {
    this.#tauS = tauS;
  }

  factor(dtS: number): number {
    if (dtS !== this.#dtS) {
      this.#dtS = dtS;
      this.#factor = lagFactor(dtS, this.#tauS);
    }
    return this.#factor;
  }
}

/**
 * One step of an integral limiter (a thermal-slowdown controller): the ceiling falls by
 * `downPerKs` per kelvin-second above `limit` and recovers by `upPerS` per second when the reading
 * is at least `hysteresis` below it; clamped to [lo, hi].
 */
export function stepLimiter(
  ceiling: number,
  reading: number,
  limit: number,
  dtS: number,
  downPerKs: number,
  upPerS: number,
  lo: number,
  hi: number,
  hysteresis = 2,
): number {
  let next = ceiling;
  if (reading > limit) next -= downPerKs * (reading - limit + 0.5) * dtS;
  else if (reading < limit - hysteresis) next += upPerS * dtS;
  return Math.min(hi, Math.max(lo, next));
}
