// Trailing robust statistics the detector's priors are scaled by: the noise scale and the recent level.
// The noise scale is the MAD of first differences, so level shifts, steady trends and spikes barely move it.

const MAD_TO_SD = 1.4826;
const SQRT12 = Math.sqrt(12);
const LEVEL_SPAN = 5;
/** Differences a new segment needs before the scale rests on it alone. */
const MIN_SEGMENT_DIFFS = 10;

/** Median of the first `len` (≥ 1) entries of `buf`, reordered in place (quickselect, O(len)). */
export function medianInPlace(buf: Float64Array, len: number): number {
  const mid = len >> 1;
  let lo = 0;
  let hi = len - 1;
  while (lo < hi) {
    const pivot = buf[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (buf[i] < pivot) i += 1;
      while (buf[j] > pivot) j -= 1;
      if (i <= j) {
        const tmp = buf[i];
        buf[i] = buf[j];
        buf[j] = tmp;
        i += 1;
        j -= 1;
      }
    }
    if (mid <= j) hi = j;
    else if (mid >= i) lo = i;
    else break;
  }
  const upper = buf[mid];
  if (len % 2 === 1) return upper;
  let lowerMax = -Infinity;
  for (let k = 0; k < mid; k += 1) if (buf[k] > lowerMax) lowerMax = buf[k];
  return (lowerMax + upper) / 2;
}

/** Index of the first entry of sorted `a[off..off+n)` that is ≥ x, relative to off (n when none). */
function lowerBound(a: Float64Array, off: number, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[off + mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts x into sorted `a[off..off+n)` (room for n + 1). */
function insertSorted(a: Float64Array, off: number, n: number, x: number): void {
  const at = off + lowerBound(a, off, n, x);
  a.copyWithin(at + 1, at, off + n);
  a[at] = x;
}

/** Removes one entry equal to x from sorted `a[off..off+n)` (it must be there). */
function removeSorted(a: Float64Array, off: number, n: number, x: number): void {
  const at = off + lowerBound(a, off, n, x);
  a.copyWithin(at, at + 1, off + n);
}

/** Replaces one entry equal to `old` in sorted `a[off..off+n)` by x, moving only the entries between. */
function replaceSorted(a: Float64Array, off: number, n: number, old: number, x: number): void {
  let i = off + lowerBound(a, off, n, old);
  const end = off + n;
  if (x > old) {
    while (i + 1 < end && a[i + 1] < x) {
      a[i] = a[i + 1];
      i += 1;
    }
  } else {
    while (i > off && a[i - 1] > x) {
      a[i] = a[i - 1];
      i -= 1;
    }
  }
  a[i] = x;
}

/** Median of sorted `a[off..off+n)`, n ≥ 1: the middle entry, or the mean of the two middle ones. */
function sortedMedian(a: Float64Array, off: number, n: number): number {
  const mid = off + (n >> 1);
  return n % 2 === 1 ? a[mid] : (a[mid - 1] + a[mid]) / 2;
}

/**
 * Median of |a[k] − c| over sorted `a[off..off+n)`, n ≥ 1, without forming the deviations: they are two
 * sorted runs (c − a[k] leftwards from c, a[k] − c rightwards), merged up to the middle rank. Equal to
 * the median of Math.abs(a[k] − c), bit for bit (rounding is symmetric, so c − a = −(a − c)).
 */
function sortedMad(a: Float64Array, off: number, n: number, c: number): number {
  const mid = n >> 1;
  let left = off + lowerBound(a, off, n, c) - 1;
  let right = left + 1;
  const end = off + n;
  let previous = 0;
  let current = 0;
  for (let rank = 0; rank <= mid; rank += 1) {
    previous = current;
    if (right >= end || (left >= off && c - a[left] <= a[right] - c)) {
      current = c - a[left];
      left -= 1;
    } else {
      current = a[right] - c;
      right += 1;
    }
  }
  return n % 2 === 1 ? current : (previous + current) / 2;
}

/** Scratch of the level median (scales are pushed one at a time). */
const levelWork = new Float64Array(LEVEL_SPAN);

/**
 * Rolling noise scale and level over the last `window` observations. The scale is bounded below by
 * the data's resolution (smallest non-zero step / √12, the quantisation noise) and by `minRelative` ×
 * the median |value|, so held or integer readings never give a zero scale. The window's |values| and
 * its non-zero differences are kept sorted, so a push costs O(window) moves of adjacent numbers and
 * O(log window) searches instead of three selections; results equal the plain medians bit for bit.
 */
export class RobustScale {
  readonly #window: number;
  readonly #minRelative: number;
  /**
   * One buffer: the last window + 1 observations (ring, slot = count % (window + 1)) at offset 0, their
   * sample indices at #atOff, |value| of the last `window` ascending at #absOff, and at #activeOff the
   * non-zero differences among the last `window` taken after #activeAfter, ascending.
   */
  readonly #buf: Float64Array;
  readonly #atOff: number;
  readonly #absOff: number;
  readonly #activeOff: number;
  #activeAfter = Number.NaN;
  #activeCount = 0;
  /** Non-zero differences in the window taken after #base. */
  #fresh = 0;
  #base = -Infinity;
  #count = 0;
  #scale = 0;
  #level = 0;

  /** `window` in observations (≥ 4); `minRelative` is unitless (e.g. 1e-3). */
  constructor(window: number, minRelative: number) {
    this.#window = window;
    this.#minRelative = minRelative;
    this.#atOff = window + 1;
    this.#absOff = 2 * (window + 1);
    this.#activeOff = this.#absOff + window;
    this.#buf = new Float64Array(this.#activeOff + window);
  }

  /** Observations pushed so far. */
  get count(): number {
    return this.#count;
  }

  /** Robust noise standard deviation of one sample, in the data's unit; > 0 once a value was pushed. */
  get scale(): number {
    return this.#scale;
  }

  /** Median of the last 5 observations (a spike-proof current level), in the data's unit. */
  get level(): number {
    return this.#level;
  }

  /**
   * From now on, once at least MIN_SEGMENT_DIFFS differences lie after sample `index` (a declared
   * change's start), the scale uses only those: a new segment's noise is not its predecessor's.
   */
  rebase(index: number): void {
    this.#base = index;
    let fresh = 0;
    const nd = Math.min(Math.max(this.#count - 1, 0), this.#window);
    for (let k = 0; k < nd; k += 1) {
      const c = this.#count - 1 - k;
      if (this.#buf[this.#atOff + this.#slot(c)] > index && this.#diff(c) !== 0) fresh += 1;
    }
    this.#fresh = fresh;
  }

  /** Adds one finite observation, taken at sample `index`. */
  push(x: number, index: number): void {
    const w = this.#window;
    const buf = this.#buf;
    const c = this.#count;
    // The difference of observations c − w − 1 → c − w leaves the window; the one of c − 1 → c enters.
    let leaving = 0;
    if (c > w) {
      leaving = this.#diff(c - w);
      if (leaving !== 0) {
        const at = buf[this.#atOff + this.#slot(c - w)];
        if (at > this.#base) this.#fresh -= 1;
        if (!(at > this.#activeAfter)) leaving = 0;
      }
    }
    const absOut = c >= w ? Math.abs(buf[this.#slot(c - w)]) : Number.NaN;
    buf[this.#slot(c)] = x;
    buf[this.#atOff + this.#slot(c)] = index;
    this.#count = c + 1;
    if (c >= w) replaceSorted(buf, this.#absOff, w, absOut, Math.abs(x));
    else insertSorted(buf, this.#absOff, c, Math.abs(x));
    let entering = 0;
    if (c > 0) {
      entering = this.#diff(c);
      if (entering !== 0) {
        if (index > this.#base) this.#fresh += 1;
        if (!(index > this.#activeAfter)) entering = 0;
      }
    }
    if (leaving !== 0 && entering !== 0) {
      replaceSorted(buf, this.#activeOff, this.#activeCount, leaving, entering);
    } else if (leaving !== 0) {
      removeSorted(buf, this.#activeOff, this.#activeCount, leaving);
      this.#activeCount -= 1;
    } else if (entering !== 0) {
      insertSorted(buf, this.#activeOff, this.#activeCount, entering);
      this.#activeCount += 1;
    }
    this.#recompute();
  }

  #slot(c: number): number {
    return c % (this.#window + 1);
  }

  /** Difference taken at observation c ≥ 1: observation c minus observation c − 1 (both in the ring). */
  #diff(c: number): number {
    return this.#buf[this.#slot(c)] - this.#buf[this.#slot(c - 1)];
  }

  /** Rebuilds the sorted non-zero differences of the window taken after `after`. */
  #activate(after: number): void {
    const nd = Math.min(this.#count - 1, this.#window);
    const off = this.#activeOff;
    let n = 0;
    for (let k = 0; k < nd; k += 1) {
      const c = this.#count - 1 - k;
      const d = this.#diff(c);
      if (d !== 0 && this.#buf[this.#atOff + this.#slot(c)] > after) this.#buf[off + n++] = d;
    }
    this.#buf.subarray(off, off + n).sort();
    this.#activeCount = n;
    this.#activeAfter = after;
  }

  #recompute(): void {
    const w = this.#window;
    const buf = this.#buf;
    const nv = Math.min(this.#count, w);
    const recent = Math.min(nv, LEVEL_SPAN);
    for (let k = 0; k < recent; k += 1) levelWork[k] = buf[this.#slot(this.#count - 1 - k)];
    this.#level = medianInPlace(levelWork, recent);
    let floor = Math.max(this.#minRelative * sortedMedian(buf, this.#absOff, nv), 1e-12);
    const nd = Math.min(this.#count - 1, w);
    if (nd <= 0) {
      this.#scale = floor;
      return;
    }
    // Zero differences are held or repeated readings, not evidence of low noise: they are left out.
    const after = this.#fresh >= MIN_SEGMENT_DIFFS ? this.#base : -Infinity;
    if (after !== this.#activeAfter) this.#activate(after);
    const nz = this.#activeCount;
    if (nz === 0) {
      this.#scale = floor;
      return;
    }
    const off = this.#activeOff;
    const firstPositive = lowerBound(buf, off, nz, 0);
    let step = Infinity;
    if (firstPositive < nz) step = buf[off + firstPositive];
    if (firstPositive > 0 && -buf[off + firstPositive - 1] < step) step = -buf[off + firstPositive - 1];
    floor = Math.max(floor, step / SQRT12);
    const centre = sortedMedian(buf, off, nz);
    const mad = sortedMad(buf, off, nz, centre);
    this.#scale = Math.max((MAD_TO_SD * mad) / Math.SQRT2, floor);
  }
}
