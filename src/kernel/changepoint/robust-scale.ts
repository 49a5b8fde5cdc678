// Trailing robust statistics the detector's priors are scaled by: the noise scale and the recent level.
// The noise scale is the MAD of first differences, so level shifts, steady trends and spikes barely move it.

import { medianInPlace } from './median.ts';
import { allocateSlab, type Slab, type SlabSize } from './storage.ts';

export { medianInPlace } from './median.ts';

const MAD_TO_SD = 1.4826;
const SQRT12 = Math.sqrt(12);
const LEVEL_SPAN = 5;
/** Differences a new segment needs before the scale rests on it alone. */
const MIN_SEGMENT_DIFFS = 10;

/** Scratch of the level median (scales are pushed one at a time). */
const levelWork = new Float64Array(LEVEL_SPAN);

/** Ring slots ordered by a key: one byte a slot while the ring has at most 256 slots. */
type SlotArray = Uint8Array | Uint16Array | Uint32Array;

/** Copies ord[start..end) to ord[target..] (ranges may overlap): a loop for a few, a memmove past that. */
function moveSlots(ord: SlotArray, target: number, start: number, end: number): void {
  if (end - start > 8) ord.copyWithin(target, start, end);
  else if (target < start) for (let i = start; i < end; i += 1) ord[i - start + target] = ord[i];
  else for (let i = end - 1; i >= start; i -= 1) ord[i - start + target] = ord[i];
}

/** Keys of a slot: |value| (ABS), or value minus the previous observation's (DIFF). */
const ABS = 0;
const DIFF = 1;
type Key = typeof ABS | typeof DIFF;

// Scalars kept just before the observations in the f64 view (offsets from the first observation).
const SCALE = -6;
const LEVEL = -5;
/** The rebase index; −∞ = none. */
const BASE = -4;
/** Differences taken after this index are the active ones; NaN = not built yet. */
const ACTIVE_AFTER = -3;
const MIN_RELATIVE = -2;
/** A copy of the last slot's observation, so that slot s's predecessor is always at s − 1. */
const LAST_SLOT = -1;
const SCALARS = 6;

/**
 * Rolling noise scale and level over the last `window` observations. The scale is bounded below by
 * the data's resolution (smallest non-zero step / √12, the quantisation noise) and by `minRelative` ×
 * the median |value|, so held or integer readings never give a zero scale. The window's observations
 * are kept ordered by |value| and (the non-zero ones) by difference, as one-byte ring slots (equal keys
 * by slot, so every entry has one place: the leaving one is found by binary search, and a held reading
 * replacing an equal one moves nothing). A push costs O(window) moves of adjacent bytes and O(log window)
 * searches instead of three selections; results equal the plain medians bit for bit.
 */
export class RobustScale {
  /** Observations in the window; window + 1 are kept (the oldest difference needs its predecessor). */
  readonly #window: number;
  readonly #f: Float64Array;
  /** Offset in #f of the observations (slot = count % (window + 1)), the scalars just before. */
  readonly #vOff: number;
  /** Offset in #f of the observations' sample indices; −1 when unindexed (an index is the ordinal). */
  readonly #atOff: number;
  /**
   * Slots of the last `window` observations by |value| from 0, and from `window` on the slots of the
   * non-zero differences among the last `window` taken after ACTIVE_AFTER, by difference.
   */
  readonly #ord: SlotArray;
  #activeCount = 0;
  /** Non-zero differences in the window taken after BASE. */
  #fresh = 0;
  #count = 0;

  /** Doubles and bytes a scale over `window` observations keeps in a shared slab. */
  static sizeOf(window: number, indexed = true): SlabSize {
    const ring = window + 1;
    return { f64: SCALARS + (indexed ? 2 : 1) * ring, u8: ring <= 256 ? 2 * window : 0 };
  }

  /**
   * `window` in observations (≥ 4); `minRelative` is unitless (e.g. 1e-3). `indexed` false: an
   * observation's index is its ordinal (0-based, pushes since construction or reset) and push's
   * `index` is not read, so no indices are kept. The state lives in `slab` (`sizeOf(window, indexed)`
   * of it: doubles from `f64Off` on, bytes from 0), by default a slab of its own.
   */
  constructor(window: number, minRelative: number, indexed = true, slab?: Slab, f64Off = 0) {
    const ring = window + 1;
    const own = slab ?? allocateSlab(RobustScale.sizeOf(window, indexed));
    this.#window = window;
    this.#f = own.f64;
    this.#vOff = f64Off + SCALARS;
    this.#atOff = indexed ? this.#vOff + ring : -1;
    if (ring <= 256) this.#ord = own.u8;
    else this.#ord = ring <= 65536 ? new Uint16Array(2 * window) : new Uint32Array(2 * window);
    this.#f[this.#vOff + MIN_RELATIVE] = minRelative;
    this.reset();
  }

  /** Forgets every observation: the scale is as new (its storage is reused). */
  reset(): void {
    const f = this.#f;
    const s = this.#vOff;
    f[s + SCALE] = 0;
    f[s + LEVEL] = 0;
    f[s + BASE] = -Infinity;
    f[s + ACTIVE_AFTER] = Number.NaN;
    this.#activeCount = 0;
    this.#fresh = 0;
    this.#count = 0;
  }

  /** Observations pushed so far. */
  get count(): number {
    return this.#count;
  }

  /** Robust noise standard deviation of one sample, in the data's unit; > 0 once a value was pushed. */
  get scale(): number {
    return this.#f[this.#vOff + SCALE];
  }

  /** Median of the last 5 observations (a spike-proof current level), in the data's unit. */
  get level(): number {
    return this.#f[this.#vOff + LEVEL];
  }

  /**
   * From now on, once at least MIN_SEGMENT_DIFFS differences lie after sample `index` (a declared
   * change's start; unindexed: after that ordinal), the scale uses only those: a new segment's noise
   * is not its predecessor's.
   */
  rebase(index: number): void {
    this.#f[this.#vOff + BASE] = index;
    let fresh = 0;
    const nd = Math.min(Math.max(this.#count - 1, 0), this.#window);
    for (let k = 0; k < nd; k += 1) {
      const c = this.#count - 1 - k;
      const slot = c % (this.#window + 1);
      if (this.#at(c, slot) > index && this.#key(DIFF, slot) !== 0) fresh += 1;
    }
    this.#fresh = fresh;
  }

  /** Adds one finite observation, taken at sample `index` (not read when unindexed). */
  push(x: number, index: number): void {
    const w = this.#window;
    const ring = w + 1;
    const f = this.#f;
    const s = this.#vOff;
    const c = this.#count;
    const at = this.#atOff < 0 ? c : index;
    const slot = c % ring;
    // Observation c − w leaves the window, its slot the one after x's.
    const out = slot === w ? 0 : slot + 1;
    // The difference of observations c − w − 1 → c − w leaves the window (found in its order before x
    // overwrites observation c − w − 1); the one of c − 1 → c enters.
    let leaving = 0;
    let leavingPos = 0;
    if (c > w) {
      leaving = this.#key(DIFF, out);
      if (leaving !== 0) {
        const outAt = this.#at(c - w, out);
        if (outAt > f[s + BASE]) this.#fresh -= 1;
        if (!(outAt > f[s + ACTIVE_AFTER])) leaving = 0;
        else leavingPos = this.#search(DIFF, w, 0, this.#activeCount, leaving, out);
      }
    }
    const absX = Math.abs(x);
    f[s + slot] = x;
    if (slot === w) f[s + LAST_SLOT] = x;
    if (this.#atOff >= 0) f[this.#atOff + slot] = index;
    this.#count = c + 1;
    if (c >= w) {
      const absOut = this.#key(ABS, out);
      const pos = this.#search(ABS, 0, 0, w, absOut, out);
      this.#replace(ABS, 0, w, pos, absOut, out, slot, absX);
    } else this.#insert(ABS, 0, c, slot, absX);
    let entering = 0;
    if (c > 0) {
      entering = this.#key(DIFF, slot);
      if (entering !== 0) {
        if (at > f[s + BASE]) this.#fresh += 1;
        if (!(at > f[s + ACTIVE_AFTER])) entering = 0;
      }
    }
    const off = w;
    const n = this.#activeCount;
    if (leaving !== 0 && entering !== 0) {
      this.#replace(DIFF, off, n, leavingPos, leaving, out, slot, entering);
    } else if (leaving !== 0) {
      moveSlots(this.#ord, off + leavingPos, off + leavingPos + 1, off + n);
      this.#activeCount = n - 1;
    } else if (entering !== 0) {
      this.#insert(DIFF, off, n, slot, entering);
      this.#activeCount = n + 1;
    }
    this.#recompute(slot);
  }

  /** Index of observation `c` (in `slot`): its sample index, or c itself when unindexed. */
  #at(c: number, slot: number): number {
    return this.#atOff < 0 ? c : this.#f[this.#atOff + slot];
  }

  /** Key of the observation in `slot` (a difference reads the slot before; slot 0's is mirrored). */
  #key(kind: Key, slot: number): number {
    const i = this.#vOff + slot;
    return kind === ABS ? Math.abs(this.#f[i]) : this.#f[i] - this.#f[i - 1];
  }

  /**
   * Position (from off) of the first of the ordered slots at off + lo .. off + hi − 1 that does not
   * come before key x in `slot` (hi when none). Entries are ordered by key, then by slot, so each has
   * one place; slot −1 finds the first key ≥ x.
   */
  #search(kind: Key, off: number, lo: number, hi: number, x: number, slot: number): number {
    const ord = this.#ord;
    let a = lo;
    let b = hi;
    while (a < b) {
      const mid = (a + b) >> 1;
      const s = ord[off + mid];
      const k = this.#key(kind, s);
      if (k < x || (k === x && s < slot)) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  /** Inserts `slot` (key x) into the n ordered slots at off. */
  #insert(kind: Key, off: number, n: number, slot: number, x: number): void {
    const to = off + this.#search(kind, off, 0, n, x, slot);
    moveSlots(this.#ord, to + 1, to, off + n);
    this.#ord[to] = slot;
  }

  /**
   * Replaces the entry at position `pos` (key `old`, in `oldSlot`) of the n ordered slots at off by
   * `slot` (key x): its place is found by binary search and the entries between move by one.
   */
  #replace(
    kind: Key,
    off: number,
    n: number,
    pos: number,
    old: number,
    oldSlot: number,
    slot: number,
    x: number,
  ): void {
    const from = off + pos;
    let to: number;
    if (x > old || (x === old && slot > oldSlot)) {
      to = off + this.#search(kind, off, pos + 1, n, x, slot) - 1;
      moveSlots(this.#ord, from, from + 1, to + 1);
    } else {
      to = off + this.#search(kind, off, 0, pos, x, slot);
      moveSlots(this.#ord, to + 1, to, from);
    }
    this.#ord[to] = slot;
  }

  /** Median key of the n ≥ 1 ordered slots at off: the middle one, or the mean of the two middle ones. */
  #median(kind: Key, off: number, n: number): number {
    const mid = off + (n >> 1);
    const upper = this.#key(kind, this.#ord[mid]);
    return n % 2 === 1 ? upper : (this.#key(kind, this.#ord[mid - 1]) + upper) / 2;
  }

  /**
   * Median of |d − c| over the n ≥ 1 differences d ordered at off, without forming the deviations: they
   * are two sorted runs, A (c − d leftwards from c) and B (d − c rightwards), and the middle ranks of
   * their union are found by binary search on how many come from A. Equal to the median of
   * Math.abs(d − c) bit for bit (c − d = −(d − c) exactly; no difference is 0, so no −0 arises).
   */
  #mad(off: number, n: number, c: number): number {
    const ord = this.#ord;
    // A[j] = c − (key at split − 1 − j), B[j] = (key at split + j) − c, both ascending.
    const split = off + this.#search(DIFF, off, 0, n, c, -1);
    const sizeA = split - off;
    const take = (n >> 1) + 1;
    let lo = Math.max(0, take - (n - sizeA));
    let hi = Math.min(take, sizeA);
    while (lo < hi) {
      const i = (lo + hi) >> 1;
      // The smallest `take` hold more than i of A when B[take − i − 1] > A[i].
      if (this.#key(DIFF, ord[split + take - i - 1]) - c > c - this.#key(DIFF, ord[split - 1 - i]))
        lo = i + 1;
      else hi = i;
    }
    const fromA = lo;
    const fromB = take - lo;
    const lastA = fromA > 0 ? c - this.#key(DIFF, ord[split - fromA]) : -Infinity;
    const lastB = fromB > 0 ? this.#key(DIFF, ord[split + fromB - 1]) - c : -Infinity;
    const current = Math.max(lastA, lastB);
    if (n % 2 === 1) return current;
    // The rank below: the larger of the other run's last and the one before the larger last.
    if (lastA >= lastB) {
      const beforeA = fromA > 1 ? c - this.#key(DIFF, ord[split - fromA + 1]) : -Infinity;
      return (Math.max(beforeA, lastB) + current) / 2;
    }
    const beforeB = fromB > 1 ? this.#key(DIFF, ord[split + fromB - 2]) - c : -Infinity;
    return (Math.max(lastA, beforeB) + current) / 2;
  }

  /** Rebuilds the ordered non-zero differences of the window taken after index `after`. */
  #activate(after: number): void {
    const off = this.#window;
    let n = 0;
    for (let c = this.#count - Math.min(this.#count - 1, this.#window); c < this.#count; c += 1) {
      const slot = c % (this.#window + 1);
      const d = this.#key(DIFF, slot);
      if (d !== 0 && this.#at(c, slot) > after) {
        this.#insert(DIFF, off, n, slot, d);
        n += 1;
      }
    }
    this.#activeCount = n;
    this.#f[this.#vOff + ACTIVE_AFTER] = after;
  }

  /** Updates the level and the scale after a push into `newest` (a slot). */
  #recompute(newest: number): void {
    const w = this.#window;
    const f = this.#f;
    const s = this.#vOff;
    const nv = Math.min(this.#count, w);
    const recent = Math.min(nv, LEVEL_SPAN);
    for (let k = 0, slot = newest; k < recent; k += 1, slot = slot === 0 ? w : slot - 1)
      levelWork[k] = f[s + slot];
    f[s + LEVEL] = medianInPlace(levelWork, recent);
    let floor = Math.max(f[s + MIN_RELATIVE] * this.#median(ABS, 0, nv), 1e-12);
    const nd = Math.min(this.#count - 1, w);
    if (nd <= 0) {
      f[s + SCALE] = floor;
      return;
    }
    // Zero differences are held or repeated readings, not evidence of low noise: they are left out.
    const after = this.#fresh >= MIN_SEGMENT_DIFFS ? f[s + BASE] : -Infinity;
    if (after !== f[s + ACTIVE_AFTER]) this.#activate(after);
    const nz = this.#activeCount;
    if (nz === 0) {
      f[s + SCALE] = floor;
      return;
    }
    const ord = this.#ord;
    const off = w;
    const firstPositive = this.#search(DIFF, off, 0, nz, 0, -1);
    let step = Infinity;
    if (firstPositive < nz) step = this.#key(DIFF, ord[off + firstPositive]);
    if (firstPositive > 0) {
      const negative = -this.#key(DIFF, ord[off + firstPositive - 1]);
      if (negative < step) step = negative;
    }
    floor = Math.max(floor, step / SQRT12);
    const centre = this.#median(DIFF, off, nz);
    const mad = this.#mad(off, nz, centre);
    f[s + SCALE] = Math.max((MAD_TO_SD * mad) / Math.SQRT2, floor);
  }
}
