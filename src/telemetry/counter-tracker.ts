// Rates from monotonic counters (shares, difficulty, energy): delta and per-second rate per sample,
// with restarts (the counter going down) reported as resets and never turned into negative rates.

import { RigtuneError } from '../core/errors.ts';

/** Options of a CounterTracker. Times in milliseconds. */
export interface CounterTrackerOptions {
  /** Fixed largest interval that still gives a rate; when unset it is `gapFactor` × median interval. */
  readonly maxGapMs?: number;
  /** Multiple of the median sampling interval beyond which a step is a gap; default 10. */
  readonly gapFactor?: number;
  /** Largest interval used until 3 intervals are known for the median; default 60 000 (60 s). */
  readonly fallbackMaxGapMs?: number;
}

/** What one reading of a counter gives. */
export interface CounterStep {
  /**
   * Increase since the previous reading (≥ 0), also across a gap. Null for the first reading, a
   * missing reading, a reset, or a time that did not move forward.
   */
  readonly delta: number | null;
  /** delta per second (≥ 0). Null wherever delta is null, and across a gap. */
  readonly ratePerS: number | null;
  /** The counter went down (miner restart): counting starts again from this reading. */
  readonly isReset: boolean;
  /** The interval since the previous reading exceeded the largest allowed interval. */
  readonly isGap: boolean;
}

/** Intervals whose median sets the gap bound: 9 at 1 Hz is 9 s of cadence, enough to see the poll period. */
const INTERVALS_KEPT = 9;
const MIN_INTERVALS = 3;
/** Numbers one tracker keeps in a shared slab (its ring of intervals and their sorted copy). */
export const COUNTER_SLAB_SIZE = 2 * INTERVALS_KEPT;
const NOTHING: CounterStep = { delta: null, ratePerS: null, isReset: false, isGap: false };

function assertPositive(value: number | undefined, name: string): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new RigtuneError('RT_KERNEL_ARGUMENT', `${name} must be a positive number, got ${value}`, {
      field: name,
    });
  }
}

/**
 * Tracks one counter of one device. Feed readings in time order; null or non-finite readings are
 * skipped (they change nothing). A reading below the previous one is a reset: rate and delta null,
 * `isReset` true, and the new reading becomes the baseline. A time that does not move forward also
 * re-baselines, with null delta and rate.
 */
export class CounterTracker {
  readonly #fixedMaxGapMs: number | undefined;
  readonly #gapFactor: number;
  readonly #fallbackMaxGapMs: number;
  /**
   * The last INTERVALS_KEPT intervals: a ring at [0, INTERVALS_KEPT) (oldest at #oldest once full), and
   * the same intervals ascending at [INTERVALS_KEPT, …) so the median is O(1), both from #off. Made at the
   * first interval unless the owner hands a shared slab (a device's eight counters share one array).
   */
  #intervals: Float64Array | null;
  /** Where this tracker's 2 × INTERVALS_KEPT numbers start in #intervals. */
  readonly #off: number;
  #intervalCount = 0;
  #oldest = 0;
  #lastTsMs = Number.NaN;
  #lastValue = Number.NaN;

  /**
   * Throws RT_KERNEL_ARGUMENT for a non-positive option. `slab`: storage for the intervals shared with
   * other trackers, {@link COUNTER_SLAB_SIZE} numbers from `offset` (default: an array of its own).
   */
  constructor(options: CounterTrackerOptions = {}, slab: Float64Array | null = null, offset = 0) {
    if (
      slab !== null &&
      !(Number.isInteger(offset) && offset >= 0 && offset + COUNTER_SLAB_SIZE <= slab.length)
    )
      throw new RigtuneError(
        'RT_KERNEL_ARGUMENT',
        `counter slab offset ${offset} leaves no room for ${COUNTER_SLAB_SIZE} numbers`,
        { field: 'offset' },
      );
    this.#intervals = slab;
    this.#off = slab === null ? 0 : offset;
    assertPositive(options.maxGapMs, 'maxGapMs');
    assertPositive(options.gapFactor, 'gapFactor');
    assertPositive(options.fallbackMaxGapMs, 'fallbackMaxGapMs');
    this.#fixedMaxGapMs = options.maxGapMs;
    this.#gapFactor = options.gapFactor ?? 10;
    this.#fallbackMaxGapMs = options.fallbackMaxGapMs ?? 60_000;
  }

  /** The largest interval (ms) that gives a rate now. */
  get maxGapMs(): number {
    if (this.#fixedMaxGapMs !== undefined) return this.#fixedMaxGapMs;
    const n = this.#intervalCount;
    const buf = this.#intervals;
    if (n < MIN_INTERVALS || buf === null) return this.#fallbackMaxGapMs;
    const mid = this.#off + INTERVALS_KEPT + (n >> 1);
    const medianMs = n % 2 === 1 ? buf[mid] : (buf[mid - 1] + buf[mid]) / 2;
    return this.#gapFactor * medianMs;
  }

  /** The last reading used as baseline, or null before the first. */
  get last(): { readonly tsMs: number; readonly value: number } | null {
    return Number.isNaN(this.#lastValue) ? null : { tsMs: this.#lastTsMs, value: this.#lastValue };
  }

  /** Adds an interval to the ring and to the sorted copy, dropping the oldest from both when full. */
  #pushInterval(dtMs: number): void {
    this.#intervals ??= new Float64Array(COUNTER_SLAB_SIZE);
    const buf = this.#intervals;
    const base = this.#off + INTERVALS_KEPT;
    let n = this.#intervalCount;
    let slot = this.#off + n;
    if (n === INTERVALS_KEPT) {
      slot = this.#off + this.#oldest;
      const old = buf[slot];
      let i = base;
      while (buf[i] !== old) i += 1;
      buf.copyWithin(i, i + 1, base + n);
      n -= 1;
      this.#oldest = (this.#oldest + 1) % INTERVALS_KEPT;
    }
    let j = base + n;
    while (j > base && buf[j - 1] > dtMs) {
      buf[j] = buf[j - 1];
      j -= 1;
    }
    buf[j] = dtMs;
    buf[slot] = dtMs;
    this.#intervalCount = n + 1;
  }

  /** Takes a reading at `tsMs` (epoch ms) and returns its delta and rate. */
  update(tsMs: number, value: number | null): CounterStep {
    if (value === null || !Number.isFinite(value) || !Number.isFinite(tsMs)) return NOTHING;
    const prevValue = this.#lastValue;
    const dtMs = tsMs - this.#lastTsMs;
    const maxGapMs = this.maxGapMs;
    this.#lastTsMs = tsMs;
    this.#lastValue = value;
    if (Number.isNaN(prevValue) || !(dtMs > 0)) return NOTHING;
    this.#pushInterval(dtMs);
    if (value < prevValue) return { delta: null, ratePerS: null, isReset: true, isGap: false };
    const delta = value - prevValue;
    if (dtMs > maxGapMs) return { delta, ratePerS: null, isReset: false, isGap: true };
    const ratePerS = delta / (dtMs / 1000);
    return { delta, ratePerS: Number.isFinite(ratePerS) ? ratePerS : null, isReset: false, isGap: false };
  }
}
