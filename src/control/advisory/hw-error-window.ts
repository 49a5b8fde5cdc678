// The hardware-error rate of one device over a trailing time window, from its raw monotonic counter:
// a counter that goes down (a miner restart) starts the window again instead of giving a negative rate.

/** Shortest span that gives a rate, ms (a few seconds of counter would read as a wild rate). */
export const MIN_SPAN_MS = 60_000;

/** Rate of a window: errors per minute and the count behind it; null until MIN_SPAN_MS is covered. */
export interface WindowRate {
  readonly perMin: number | null;
  readonly count: number | null;
  /** Time the rate covers, ms (≤ the window; less while the history is shorter). */
  readonly spanMs: number | null;
}

const NONE: WindowRate = { perMin: null, count: null, spanMs: null };

/** Readings a window holds before it first grows (by half when full). */
const INITIAL_CAPACITY = 64;

/**
 * One device's readings as a ring of (time, counter) pairs in one Float64Array: pushing and dropping
 * allocate nothing once the ring fits the window. With a `spacingMs`, kept readings are at least that far
 * apart (the newest is always kept, replacing a newest that was closer to the one before it): the rate
 * is then exact over a span up to one spacing shorter than the window, and a 10-minute window spaced
 * 1/128 of it keeps ≈ 130 pairs (≈ 2 KiB) instead of 600 at 1 Hz (≈ 10 KiB, on every device of a fleet).
 */
export class HwErrorWindow {
  readonly #spacingMs: number;
  /** Interleaved [ts, counter] pairs; null until the first reading. */
  #ring: Float64Array | null = null;
  /** Capacity of the ring, pairs. */
  #capacity = 0;
  /** Pair index of the oldest reading kept, and how many are kept. */
  #start = 0;
  #size = 0;
  #perMin: number | null = null;
  #count: number | null = null;
  #spanMs: number | null = null;

  /** `spacingMs`: least time between kept readings but the newest (0 = keep every reading). */
  constructor(spacingMs = 0) {
    this.#spacingMs = Number.isFinite(spacingMs) && spacingMs > 0 ? spacingMs : 0;
  }

  /** Adds a reading (epoch ms, raw counter); null or non-finite readings and times not moving forward are skipped. */
  push(tsMs: number, counter: number | null): void {
    if (counter === null || !Number.isFinite(counter)) return;
    let ring = this.#ring;
    if (ring !== null && this.#size > 0) {
      const last = this.#at(this.#size - 1);
      if (tsMs <= ring[last]) return;
      if (counter < ring[last + 1]) this.#start = this.#size = 0;
      else if (this.#size >= 2 && ring[last] - ring[this.#at(this.#size - 2)] < this.#spacingMs) {
        // The newest kept reading is too close to the one before it: this reading takes its place.
        ring[last] = tsMs;
        ring[last + 1] = counter;
        return;
      }
    }
    if (ring === null || this.#size === this.#capacity) ring = this.#grow();
    const at = this.#at(this.#size);
    ring[at] = tsMs;
    ring[at + 1] = counter;
    this.#size += 1;
  }

  /**
   * Errors per minute between the oldest reading inside `windowMs` of the newest and the newest one.
   * Older readings are dropped as they leave the window.
   */
  rate(windowMs: number): WindowRate {
    this.measure(windowMs);
    return this.#perMin === null ? NONE : { perMin: this.#perMin, count: this.#count, spanMs: this.#spanMs };
  }

  /** Computes what `rate` returns into perMin, count and spanMs, allocating nothing. */
  measure(windowMs: number): void {
    this.#perMin = this.#count = this.#spanMs = null;
    const ring = this.#ring;
    if (ring === null || this.#size === 0) return;
    const newest = this.#at(this.#size - 1);
    const newestMs = ring[newest];
    while (this.#size > 1 && ring[2 * this.#start] < newestMs - windowMs) {
      this.#start = this.#start + 1 === this.#capacity ? 0 : this.#start + 1;
      this.#size -= 1;
    }
    const oldest = 2 * this.#start;
    const spanMs = newestMs - ring[oldest];
    if (spanMs < MIN_SPAN_MS) return;
    const count = ring[newest + 1] - ring[oldest + 1];
    this.#perMin = (count / spanMs) * 60_000;
    this.#count = count;
    this.#spanMs = spanMs;
  }

  /** Errors per minute as of the last `measure` (or `rate`); null until MIN_SPAN_MS is covered. */
  get perMin(): number | null {
    return this.#perMin;
  }

  /** Errors behind perMin; null with it. */
  get count(): number | null {
    return this.#count;
  }

  /** Time perMin covers, ms; null with it. */
  get spanMs(): number | null {
    return this.#spanMs;
  }

  /** Array index of the `k`-th kept reading's time (its counter follows). */
  #at(k: number): number {
    const i = this.#start + k;
    return 2 * (i >= this.#capacity ? i - this.#capacity : i);
  }

  /** A ring half as large again (or the first one), the kept readings moved to its start. */
  #grow(): Float64Array {
    const old = this.#ring;
    const capacity = old === null ? INITIAL_CAPACITY : Math.ceil(1.5 * this.#capacity);
    const ring = new Float64Array(2 * capacity);
    if (old !== null)
      for (let k = 0; k < this.#size; k++) {
        const from = this.#at(k);
        ring[2 * k] = old[from];
        ring[2 * k + 1] = old[from + 1];
      }
    this.#ring = ring;
    this.#capacity = capacity;
    this.#start = 0;
    return ring;
  }
}
