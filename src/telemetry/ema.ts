// Exponential moving average for irregularly sampled gauges: alpha = 1 − exp(−dt/tau), so the
// smoothing depends on elapsed time, not on how many samples arrived.

import { RigtuneError } from '../core/errors.ts';

/** What one reading of a gauge gives. Same unit as the gauge. */
export interface EmaStep {
  /** The EMA after this reading; held through missing readings; null before the first reading. */
  readonly ema: number | null;
  /** Change of the EMA since the previous reading; null for the first reading or a missing one. */
  readonly delta: number | null;
}

/**
 * EMA of one gauge with time constant `tauS` seconds. The first reading starts the EMA at its value;
 * each later one moves it by alpha = 1 − exp(−dt/tau) toward the reading, dt being the seconds since
 * the last non-missing reading. Null or non-finite readings hold the EMA. tau = 0 follows the
 * readings exactly; a reading whose time did not move forward changes nothing (alpha = 0).
 */
export class EmaTracker {
  readonly tauS: number;
  #ema = Number.NaN;
  #lastTsMs = Number.NaN;

  /** Throws RT_KERNEL_ARGUMENT unless `tauS` is a finite number ≥ 0. */
  constructor(tauS: number) {
    if (!(Number.isFinite(tauS) && tauS >= 0)) {
      throw new RigtuneError('RT_KERNEL_ARGUMENT', `EMA time constant must be ≥ 0 s, got ${tauS}`, {
        field: 'tauS',
      });
    }
    this.tauS = tauS;
  }

  /** The current EMA, or null before the first reading. */
  get value(): number | null {
    return Number.isNaN(this.#ema) ? null : this.#ema;
  }

  /** Takes a reading at `tsMs` (epoch ms). */
  update(tsMs: number, value: number | null): EmaStep {
    if (value === null || !Number.isFinite(value) || !Number.isFinite(tsMs))
      return { ema: this.value, delta: null };
    if (Number.isNaN(this.#ema)) {
      this.#ema = value;
      this.#lastTsMs = tsMs;
      return { ema: value, delta: null };
    }
    const dtS = (tsMs - this.#lastTsMs) / 1000;
    const alpha = this.tauS === 0 ? 1 : dtS > 0 ? -Math.expm1(-dtS / this.tauS) : 0;
    const prev = this.#ema;
    this.#ema = prev + alpha * (value - prev);
    if (dtS > 0) this.#lastTsMs = tsMs;
    return { ema: this.#ema, delta: this.#ema - prev };
  }
}
