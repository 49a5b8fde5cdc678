// Sample standard deviation of the last w samples in O(1) amortised per sample: shifted, removable
// Welford updates with a rounding-error budget that triggers an exact recompute before precision is lost.

import { CompactRing } from './compact-ring.ts';

/** Unit roundoff with a safety factor for the few roundings of one Welford step. */
const ROUNDING = 4 * Number.EPSILON;
/** Largest tolerated relative error of M2 before an exact recompute (≈ 5e-11 relative on sd). */
const RELATIVE_TOLERANCE = 1e-10;

/**
 * Trailing window of the last `window` samples (missing samples hold a place but no value).
 *
 * Numerics: Welford's update runs on y = x − shift (shift = window mean at the last recompute),
 * so large offsets (1e9 H/s) do not eat the digits of a small spread. Every add/remove adds an
 * upper estimate of its rounding error to a budget (ε·(M2 + |δ|·(|y| + |mean|))); when the budget
 * exceeds 1e-10·M2 — typically because a large outlier left the window and M2 collapsed
 * (catastrophic cancellation) — M2 is recomputed exactly by a compensated two-pass over the ring.
 * Independently, every `window` pushes the state is recomputed and the shift re-centred, so drift
 * never outlives one window. A run of identical values filling the window gives exactly 0 (as pandas).
 *
 * Cost: O(1) per push, plus O(window) on a recompute step: once per `window` pushes, and after a
 * cancellation (an outlier ≳ 1e5× the window's spread leaving), so O(1) amortised on real data.
 */
export class TrailingMoments {
  readonly window: number;
  readonly #ring: CompactRing;
  #seq = 0;
  #count = 0;
  #shift = 0;
  #mean = 0;
  #m2 = 0;
  #err = 0;
  /** Length of the run of identical finite values ending at the latest finite value. */
  #sameRun = 0;
  #last = Number.NaN;
  #recomputes = 0;

  constructor(window: number) {
    this.window = window;
    this.#ring = new CompactRing(window);
  }

  /** Exact O(window) recomputes so far (periodic plus cancellation-triggered). */
  get recomputes(): number {
    return this.#recomputes;
  }

  /** Number of finite values in the window. */
  get count(): number {
    return this.#count;
  }

  /** Adds one sample (NaN = missing; callers map ±inf to NaN) and drops the one leaving the window. */
  push(x: number): void {
    const slot = this.#seq % this.window;
    const old = this.#ring.get(slot);
    this.#ring.set(slot, x);
    this.#seq += 1;
    if (!Number.isNaN(old)) this.#remove(old);
    if (!Number.isNaN(x)) this.#add(x);
    const constant = this.#sameRun >= this.#count;
    if (
      this.#seq % this.window === 0 ||
      this.#m2 < 0 ||
      (!constant && this.#err > RELATIVE_TOLERANCE * this.#m2)
    ) {
      this.#recompute();
    }
  }

  /** Sample standard deviation (ddof 1) of the finite values; 0 with fewer than 2 of them. */
  sd(): number {
    if (this.#count < 2 || this.#sameRun >= this.#count) return 0;
    return Math.sqrt(Math.max(this.#m2, 0) / (this.#count - 1));
  }

  /** Empties the window. */
  reset(): void {
    this.#ring.clear();
    this.#seq = 0;
    this.#count = 0;
    this.#shift = 0;
    this.#mean = 0;
    this.#m2 = 0;
    this.#err = 0;
    this.#sameRun = 0;
    this.#last = Number.NaN;
  }

  #add(x: number): void {
    this.#sameRun = x === this.#last ? this.#sameRun + 1 : 1;
    this.#last = x;
    this.#count += 1;
    const y = x - this.#shift;
    const delta = y - this.#mean;
    this.#mean += delta / this.#count;
    this.#m2 += delta * (y - this.#mean);
    this.#err += ROUNDING * (Math.abs(this.#m2) + Math.abs(delta) * (Math.abs(y) + Math.abs(this.#mean)));
  }

  #remove(x: number): void {
    this.#count -= 1;
    if (this.#count === 0) {
      this.#mean = 0;
      this.#m2 = 0;
      this.#err = 0;
      return;
    }
    const before = this.#m2;
    const y = x - this.#shift;
    const delta = y - this.#mean;
    this.#mean -= delta / this.#count;
    this.#m2 -= delta * (y - this.#mean);
    this.#err += ROUNDING * (Math.abs(before) + Math.abs(delta) * (Math.abs(y) + Math.abs(this.#mean)));
  }

  /** Re-centres the shift on the window mean and recomputes M2 by a compensated two-pass. */
  #recompute(): void {
    this.#recomputes += 1;
    const ring = this.#ring;
    let n = 0;
    let sum = 0;
    for (let i = 0; i < ring.size; i++) {
      const v = ring.get(i);
      if (Number.isNaN(v)) continue;
      n += 1;
      sum += v;
    }
    this.#shift = n === 0 ? 0 : sum / n;
    let sumD = 0;
    let sumD2 = 0;
    for (let i = 0; i < ring.size; i++) {
      const v = ring.get(i);
      if (Number.isNaN(v)) continue;
      const d = v - this.#shift;
      sumD += d;
      sumD2 += d * d;
    }
    // Corrected two-pass (Chan, Golub, LeVeque): subtracts the residual of the rounded mean.
    this.#mean = n === 0 ? 0 : sumD / n;
    this.#m2 = n === 0 ? 0 : Math.max(sumD2 - (sumD * sumD) / n, 0);
    this.#err = ROUNDING * n * this.#m2;
  }
}
