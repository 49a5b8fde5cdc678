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

/**
 * Rolling noise scale and level over the last `window` observations, O(window) per push. The scale is
 * bounded below by the data's resolution (smallest non-zero step / √12, the quantisation noise) and by
 * `minRelative` × the median |value|, so held or integer readings never give a zero scale.
 */
export class RobustScale {
  readonly #window: number;
  readonly #minRelative: number;
  readonly #values: Float64Array;
  readonly #diffs: Float64Array;
  readonly #diffAt: Float64Array;
  readonly #work: Float64Array;
  #base = -Infinity;
  #count = 0;
  #diffCount = 0;
  #last = 0;
  #scale = 0;
  #level = 0;

  /** `window` in observations (≥ 4); `minRelative` is unitless (e.g. 1e-3). */
  constructor(window: number, minRelative: number) {
    this.#window = window;
    this.#minRelative = minRelative;
    this.#values = new Float64Array(window);
    this.#diffs = new Float64Array(window);
    this.#diffAt = new Float64Array(window);
    this.#work = new Float64Array(window);
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
  }

  /** Adds one finite observation, taken at sample `index`. */
  push(x: number, index: number): void {
    const w = this.#window;
    if (this.#count > 0) {
      this.#diffs[this.#diffCount % w] = x - this.#last;
      this.#diffAt[this.#diffCount % w] = index;
      this.#diffCount += 1;
    }
    this.#values[this.#count % w] = x;
    this.#count += 1;
    this.#last = x;
    this.#recompute();
  }

  #recompute(): void {
    const w = this.#window;
    const work = this.#work;
    const nv = Math.min(this.#count, w);
    const recent = Math.min(nv, LEVEL_SPAN);
    for (let k = 0; k < recent; k += 1) work[k] = this.#values[(this.#count - 1 - k + w) % w];
    this.#level = medianInPlace(work, recent);
    for (let k = 0; k < nv; k += 1) work[k] = Math.abs(this.#values[k]);
    let floor = Math.max(this.#minRelative * medianInPlace(work, nv), 1e-12);
    const nd = Math.min(this.#diffCount, w);
    if (nd === 0) {
      this.#scale = floor;
      return;
    }
    // Zero differences are held or repeated readings, not evidence of low noise: they are left out.
    let fresh = 0;
    for (let k = 0; k < nd; k += 1) if (this.#diffAt[k] > this.#base && this.#diffs[k] !== 0) fresh += 1;
    const after = fresh >= MIN_SEGMENT_DIFFS ? this.#base : -Infinity;
    let step = Infinity;
    let nz = 0;
    for (let k = 0; k < nd; k += 1) {
      const d = this.#diffs[k];
      if (d === 0 || this.#diffAt[k] <= after) continue;
      work[nz] = d;
      nz += 1;
      if (Math.abs(d) < step) step = Math.abs(d);
    }
    if (step < Infinity) floor = Math.max(floor, step / SQRT12);
    if (nz === 0) {
      this.#scale = floor;
      return;
    }
    const centre = medianInPlace(work, nz);
    let m = 0;
    for (let k = 0; k < nd; k += 1) {
      if (this.#diffs[k] !== 0 && this.#diffAt[k] > after) work[m++] = Math.abs(this.#diffs[k] - centre);
    }
    const mad = medianInPlace(work, nz);
    this.#scale = Math.max((MAD_TO_SD * mad) / Math.SQRT2, floor);
  }
}
