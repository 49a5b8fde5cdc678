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
/**
 * Slab layout of one tracker from its offset: the last reading (time, value), the interval count and ring
 * head, the ring of intervals, their sorted copy. A tracker without rates keeps the first two only.
 */
const LAST_TS = 0;
const LAST_VALUE = 1;
const COUNT = 2;
const OLDEST = 3;
const RING = 4;
const SORTED = RING + INTERVALS_KEPT;
/** Numbers one tracker keeps in a slab: its last reading, its ring of intervals and their sorted copy. */
export const COUNTER_SLAB_SIZE = RING + 2 * INTERVALS_KEPT;
/** Numbers a tracker without rates keeps (see {@link updateCounter}): its last reading. */
export const COUNTER_DELTA_SLAB_SIZE = 2;
const NOTHING: CounterStep = { delta: null, ratePerS: null, isReset: false, isGap: false };

function assertPositive(value: number | undefined, name: string): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new RigtuneError('RT_KERNEL_ARGUMENT', `${name} must be a positive number, got ${value}`, {
      field: name,
    });
  }
}

/** The gap rule of {@link CounterTrackerOptions}, validated, with its defaults filled in. */
export interface CounterGapRule {
  readonly fixedMaxGapMs: number | undefined;
  readonly gapFactor: number;
  readonly fallbackMaxGapMs: number;
}

const DEFAULT_GAP_RULE: CounterGapRule = {
  fixedMaxGapMs: undefined,
  gapFactor: 10,
  fallbackMaxGapMs: 60_000,
};

/** Validates `options` (RT_KERNEL_ARGUMENT for a non-positive one) and fills in the defaults. */
export function counterGapRule(options: CounterTrackerOptions = {}): CounterGapRule {
  assertPositive(options.maxGapMs, 'maxGapMs');
  assertPositive(options.gapFactor, 'gapFactor');
  assertPositive(options.fallbackMaxGapMs, 'fallbackMaxGapMs');
  if (
    options.maxGapMs === undefined &&
    options.gapFactor === undefined &&
    options.fallbackMaxGapMs === undefined
  )
    return DEFAULT_GAP_RULE;
  return {
    fixedMaxGapMs: options.maxGapMs,
    gapFactor: options.gapFactor ?? 10,
    fallbackMaxGapMs: options.fallbackMaxGapMs ?? 60_000,
  };
}

/** Throws RT_KERNEL_ARGUMENT unless `size` numbers fit in `slab` from `offset`. */
function assertSlab(slab: Float64Array, offset: number, size: number): void {
  if (!(Number.isInteger(offset) && offset >= 0 && offset + size <= slab.length))
    throw new RigtuneError(
      'RT_KERNEL_ARGUMENT',
      `counter slab offset ${offset} leaves no room for ${size} numbers`,
      { field: 'offset' },
    );
}

/**
 * Makes the tracker state at `offset` of `slab` the state of a tracker that has seen nothing:
 * COUNTER_SLAB_SIZE numbers, or COUNTER_DELTA_SLAB_SIZE for a tracker without rates (`rates` false).
 */
export function resetCounterState(slab: Float64Array, offset: number, rates = true): void {
  const size = rates ? COUNTER_SLAB_SIZE : COUNTER_DELTA_SLAB_SIZE;
  assertSlab(slab, offset, size);
  slab.fill(0, offset, offset + size);
  slab[offset + LAST_TS] = Number.NaN;
  slab[offset + LAST_VALUE] = Number.NaN;
}

/** The largest interval (ms) that gives a rate now, for the tracker state at `off` of `buf`. */
export function counterMaxGapMs(buf: Float64Array, off: number, rule: CounterGapRule): number {
  if (rule.fixedMaxGapMs !== undefined) return rule.fixedMaxGapMs;
  const n = buf[off + COUNT];
  if (n < MIN_INTERVALS) return rule.fallbackMaxGapMs;
  const mid = off + SORTED + (n >> 1);
  const medianMs = (n & 1) === 1 ? buf[mid] : (buf[mid - 1] + buf[mid]) / 2;
  return rule.gapFactor * medianMs;
}

/** Adds an interval to the ring and to the sorted copy, dropping the oldest from both when full. */
function pushInterval(buf: Float64Array, off: number, dtMs: number): void {
  const base = off + SORTED;
  let n = buf[off + COUNT];
  let slot = off + RING + n;
  if (n === INTERVALS_KEPT) {
    const oldest = buf[off + OLDEST];
    slot = off + RING + oldest;
    const old = buf[slot];
    let i = base;
    while (buf[i] !== old) i += 1;
    buf.copyWithin(i, i + 1, base + n);
    n -= 1;
    buf[off + OLDEST] = oldest + 1 === INTERVALS_KEPT ? 0 : oldest + 1;
  }
  let j = base + n;
  while (j > base && buf[j - 1] > dtMs) {
    buf[j] = buf[j - 1];
    j -= 1;
  }
  buf[j] = dtMs;
  buf[slot] = dtMs;
  buf[off + COUNT] = n + 1;
}

/**
 * {@link CounterTracker.update} of the tracker state at `off` of `buf` (see {@link resetCounterState}):
 * a reading at `tsMs` (epoch ms) and its delta and rate. For owners of many counters (a device's eight),
 * which keep them in one array instead of eight objects. `rule` null: a tracker without rates (its state
 * is the last reading only): the same deltas and resets, `ratePerS` always null and no gap judged.
 */
export function updateCounter(
  buf: Float64Array,
  off: number,
  rule: CounterGapRule | null,
  tsMs: number,
  value: number | null,
): CounterStep {
  if (value === null || !Number.isFinite(value) || !Number.isFinite(tsMs)) return NOTHING;
  const prevValue = buf[off + LAST_VALUE];
  const dtMs = tsMs - buf[off + LAST_TS];
  buf[off + LAST_TS] = tsMs;
  buf[off + LAST_VALUE] = value;
  if (Number.isNaN(prevValue) || !(dtMs > 0)) return NOTHING;
  if (rule === null) {
    if (value < prevValue) return { delta: null, ratePerS: null, isReset: true, isGap: false };
    return { delta: value - prevValue, ratePerS: null, isReset: false, isGap: false };
  }
  // The bound before this interval joins the ones it is the median of.
  const maxGapMs = counterMaxGapMs(buf, off, rule);
  pushInterval(buf, off, dtMs);
  if (value < prevValue) return { delta: null, ratePerS: null, isReset: true, isGap: false };
  const delta = value - prevValue;
  if (dtMs > maxGapMs) return { delta, ratePerS: null, isReset: false, isGap: true };
  const ratePerS = delta / (dtMs / 1000);
  return { delta, ratePerS: Number.isFinite(ratePerS) ? ratePerS : null, isReset: false, isGap: false };
}

/**
 * Tracks one counter of one device. Feed readings in time order; null or non-finite readings are
 * skipped (they change nothing). A reading below the previous one is a reset: rate and delta null,
 * `isReset` true, and the new reading becomes the baseline. A time that does not move forward also
 * re-baselines, with null delta and rate.
 */
export class CounterTracker {
  readonly #rule: CounterGapRule;
  /**
   * The last INTERVALS_KEPT intervals: a ring (oldest at the OLDEST slot once full), the same intervals
   * ascending so the median is O(1), and the interval count, ring head and last reading, all from #off.
   */
  readonly #slab: Float64Array;
  /** Where this tracker's COUNTER_SLAB_SIZE numbers start in #slab. */
  readonly #off: number;

  /**
   * Throws RT_KERNEL_ARGUMENT for a non-positive option. `slab`: storage shared with other trackers,
   * {@link COUNTER_SLAB_SIZE} numbers from `offset` (default: an array of its own).
   */
  constructor(options: CounterTrackerOptions = {}, slab: Float64Array | null = null, offset = 0) {
    const buf = slab ?? new Float64Array(COUNTER_SLAB_SIZE);
    const off = slab === null ? 0 : offset;
    resetCounterState(buf, off);
    this.#rule = counterGapRule(options);
    this.#slab = buf;
    this.#off = off;
  }

  /** The largest interval (ms) that gives a rate now. */
  get maxGapMs(): number {
    return counterMaxGapMs(this.#slab, this.#off, this.#rule);
  }

  /** The last reading used as baseline, or null before the first. */
  get last(): { readonly tsMs: number; readonly value: number } | null {
    const value = this.#slab[this.#off + LAST_VALUE];
    return Number.isNaN(value) ? null : { tsMs: this.#slab[this.#off + LAST_TS], value };
  }

  /** Takes a reading at `tsMs` (epoch ms) and returns its delta and rate. */
  update(tsMs: number, value: number | null): CounterStep {
    return updateCounter(this.#slab, this.#off, this.#rule, tsMs, value);
  }
}
