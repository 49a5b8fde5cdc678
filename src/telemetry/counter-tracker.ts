// Rates from monotonic counters (shares, difficulty, energy): delta and per-second rate per sample,
// with restarts (the counter going down) reported as resets and never turned into negative rates.

import { RigtuneError } from '../core/errors.ts';
import { RingBuffer } from './ring-buffer.ts';

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

const INTERVALS_KEPT = 31;
const MIN_INTERVALS = 3;
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
  readonly #intervals = new RingBuffer(INTERVALS_KEPT);
  /** The same intervals in ascending order (first #intervals.length entries): the median is O(1). */
  readonly #sorted = new Float64Array(INTERVALS_KEPT);
  #lastTsMs = Number.NaN;
  #lastValue = Number.NaN;

  /** Throws RT_KERNEL_ARGUMENT for a non-positive option. */
  constructor(options: CounterTrackerOptions = {}) {
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
    if (this.#intervals.length < MIN_INTERVALS) return this.#fallbackMaxGapMs;
    const n = this.#intervals.length;
    const mid = n >> 1;
    const sorted = this.#sorted;
    const medianMs = n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return this.#gapFactor * medianMs;
  }

  /** The last reading used as baseline, or null before the first. */
  get last(): { readonly tsMs: number; readonly value: number } | null {
    return Number.isNaN(this.#lastValue) ? null : { tsMs: this.#lastTsMs, value: this.#lastValue };
  }

  /** Adds an interval to the ring and to the sorted copy, dropping the oldest from both when full. */
  #pushInterval(dtMs: number): void {
    const sorted = this.#sorted;
    let n = this.#intervals.length;
    if (n === INTERVALS_KEPT) {
      const old = this.#intervals.at(0) as number;
      let i = 0;
      while (sorted[i] !== old) i += 1;
      sorted.copyWithin(i, i + 1, n);
      n -= 1;
    }
    let j = n;
    while (j > 0 && sorted[j - 1] > dtMs) {
      sorted[j] = sorted[j - 1];
      j -= 1;
    }
    sorted[j] = dtMs;
    this.#intervals.push(dtMs);
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
