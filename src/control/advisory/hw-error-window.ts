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

/**
 * Readings a window holds before it first grows (by half when full: 8, 12, 18, … 93, 140 — the last
 * fits the ≈ 130 pairs of a window spaced 1/128 of it). Small, so a young window costs 128 B, not 1 KiB.
 */
const INITIAL_CAPACITY = 8;

/** Largest offset from a base an Int32 ring slot holds. */
const INT32_MAX = 2 ** 31 - 1;

/**
 * One device's readings as a ring of (time, counter) pairs in one typed array: pushing and dropping
 * allocate nothing once the ring fits the window. With a `spacingMs`, kept readings are at least that far
 * apart (the newest is always kept, replacing a newest that was closer to the one before it): the rate
 * is then exact over a span up to one spacing shorter than the window, and a 10-minute window spaced
 * 1/128 of it keeps ≈ 130 pairs instead of 600 at 1 Hz (on every device of a fleet).
 * While every time and counter is an integer (epoch ms, error counts), the ring is an Int32Array of
 * offsets from a base time and a base count (rebased when a value leaves ±2^31 of it): half the bytes
 * of Float64 pairs (≈ 1.1 KiB, not 2.2, per device) and the same values back exactly. The first value
 * that is not such an integer turns it into a Float64Array for good.
 */
export class HwErrorWindow {
  readonly #spacingMs: number;
  /** Interleaved [ts, counter] pairs (offsets from the bases while Int32); null until the first reading. */
  #ring: Int32Array | Float64Array | null = null;
  /** True once the ring holds plain float64 values (bases unused). */
  #wide = false;
  #baseTs = 0;
  #baseCount = 0;
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
    if (this.#ring !== null && this.#size > 0) {
      const last = this.#at(this.#size - 1);
      if (tsMs <= this.#get(last)) return;
      if (counter < this.#get(last + 1)) this.#start = this.#size = 0;
      else if (this.#size >= 2 && this.#get(last) - this.#get(this.#at(this.#size - 2)) < this.#spacingMs) {
        // The newest kept reading is too close to the one before it: this reading takes its place.
        this.#set(last, tsMs);
        this.#set(last + 1, counter);
        return;
      }
    }
    if (this.#ring === null || this.#size === this.#capacity) this.#grow();
    const at = this.#at(this.#size);
    // Counted first: a rebase while storing the pair covers both of its values.
    this.#size += 1;
    this.#set(at, tsMs);
    this.#set(at + 1, counter);
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
    if (this.#ring === null || this.#size === 0) return;
    const newest = this.#at(this.#size - 1);
    const newestMs = this.#get(newest);
    while (this.#size > 1 && this.#get(2 * this.#start) < newestMs - windowMs) {
      this.#start = this.#start + 1 === this.#capacity ? 0 : this.#start + 1;
      this.#size -= 1;
    }
    const oldest = 2 * this.#start;
    const spanMs = newestMs - this.#get(oldest);
    if (spanMs < MIN_SPAN_MS) return;
    const count = this.#get(newest + 1) - this.#get(oldest + 1);
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

  /** The value at array index `i` (even: a time, odd: a counter). */
  #get(i: number): number {
    const ring = this.#ring as Int32Array | Float64Array;
    if (this.#wide) return ring[i];
    return ((i & 1) === 0 ? this.#baseTs : this.#baseCount) + ring[i];
  }

  /** Stores `value` at array index `i` of a kept reading, rebasing or widening the ring when it must. */
  #set(i: number, value: number): void {
    const ring = this.#ring as Int32Array | Float64Array;
    if (this.#wide) {
      ring[i] = value;
      return;
    }
    const column = i & 1;
    const offset = value - (column === 0 ? this.#baseTs : this.#baseCount);
    if (Number.isSafeInteger(value) && !Object.is(value, -0) && Math.abs(offset) <= INT32_MAX) {
      ring[i] = offset;
      return;
    }
    if (!Number.isSafeInteger(value) || Object.is(value, -0) || !this.#rebase(column, i, value)) {
      this.#widen();
      (this.#ring as Float64Array)[i] = value;
    }
  }

  /**
   * Moves the base of `column` (0 times, 1 counters) to `value` so that it fits at index `i`, when every
   * other kept value of the column still fits; false (nothing changed) when one would not.
   */
  #rebase(column: number, i: number, value: number): boolean {
    const ring = this.#ring as Int32Array;
    const base = column === 0 ? this.#baseTs : this.#baseCount;
    for (let k = 0; k < this.#size; k++) {
      const j = this.#at(k) + column;
      if (j !== i && Math.abs(base + ring[j] - value) > INT32_MAX) return false;
    }
    for (let k = 0; k < this.#size; k++) {
      const j = this.#at(k) + column;
      ring[j] = j === i ? 0 : base + ring[j] - value;
    }
    if (column === 0) this.#baseTs = value;
    else this.#baseCount = value;
    return true;
  }

  /** The ring as float64 values from now on (the same capacity and positions). */
  #widen(): void {
    const old = this.#ring as Int32Array;
    const ring = new Float64Array(old.length);
    for (let j = 0; j < old.length; j++) ring[j] = ((j & 1) === 0 ? this.#baseTs : this.#baseCount) + old[j];
    this.#ring = ring;
    this.#wide = true;
  }

  /** A ring half as large again (or the first one), the kept readings moved to its start. */
  #grow(): void {
    const old = this.#ring;
    const capacity = old === null ? INITIAL_CAPACITY : Math.ceil(1.5 * this.#capacity);
    const ring = this.#wide ? new Float64Array(2 * capacity) : new Int32Array(2 * capacity);
    if (old !== null)
      for (let k = 0; k < this.#size; k++) {
        const from = this.#at(k);
        ring[2 * k] = old[from];
        ring[2 * k + 1] = old[from + 1];
      }
    this.#ring = ring;
    this.#capacity = capacity;
    this.#start = 0;
  }
}
