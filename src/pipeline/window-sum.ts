// Sum of the finite values among the last `capacity` samples, added oldest first from 0, as the reject
// rate's share window needs it: O(1) a sample while every value is a modest integer, else a plain loop.

/** Byte code of a missing sample in the compact ring. */
const MISSING = 255;

/**
 * Sliding window of numbers (NaN = missing) and the sum of its finite ones. While every finite value in
 * the window is an integer small enough that any partial sum is exact, a running total equals the
 * left-to-right sum bit for bit (integer additions below 2^53 are exact in any order); otherwise the
 * window is summed left to right.
 *
 * Storage: share deltas per sample are small multiples of one unit (counts: 1; difficulty sums: the
 * pool difficulty), so samples are kept as one byte each, value = code × unit, until one is not such
 * a multiple; then the ring turns into doubles. Nothing is allocated before the first finite value.
 */
export class WindowSum {
  readonly capacity: number;
  /** |integer| bound under which `capacity + 1` values sum exactly (below 2^53). */
  readonly #exactBound: number;
  #codes: Uint8Array | null = null;
  #unit = 0;
  #values: Float64Array | null = null;
  #next = 0;
  #length = 0;
  #finite = 0;
  /** Finite values in the window outside the exact class. */
  #inexact = 0;
  /** Exact sum of the window's values in the exact class. */
  #exactSum = 0;

  /** `capacity` samples (an integer; below 1 the window is always empty). */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.#exactBound = 2 ** (53 - Math.ceil(Math.log2(capacity + 2)));
  }

  /** Appends the next sample (NaN or ±Infinity = missing), dropping the oldest once full. */
  push(value: number): void {
    if (this.capacity < 1) return;
    const v = Number.isFinite(value) ? value : Number.NaN;
    if (this.#codes === null && this.#values === null) {
      if (Number.isNaN(v)) {
        // Nothing stored yet: only the count of samples in the window moves.
        if (this.#length < this.capacity) this.#length += 1;
        return;
      }
      this.#codes = new Uint8Array(this.capacity).fill(MISSING);
      this.#next = this.#length % this.capacity;
    }
    if (this.#length === this.capacity) this.#drop(this.#read(this.#next));
    else this.#length += 1;
    this.#write(this.#next, v);
    this.#next = (this.#next + 1) % this.capacity;
    if (Number.isNaN(v)) return;
    this.#finite += 1;
    if (this.#isExact(v)) this.#exactSum += v;
    else this.#inexact += 1;
  }

  /** Sum of the finite values in the window, left to right from 0 (oldest first); null when none. */
  sum(): number | null {
    if (this.#finite === 0) return null;
    if (this.#inexact === 0) return this.#exactSum;
    let sum = 0;
    for (let k = 0; k < this.#length; k += 1) {
      const v = this.#read((this.#next - this.#length + k + this.capacity) % this.capacity);
      if (!Number.isNaN(v)) sum += v;
    }
    return sum;
  }

  #read(slot: number): number {
    if (this.#values !== null) return this.#values[slot];
    const code = this.#codes![slot];
    return code === MISSING ? Number.NaN : code * this.#unit;
  }

  #write(slot: number, v: number): void {
    if (this.#values === null && !this.#encode(slot, v)) {
      const values = new Float64Array(this.capacity);
      for (let k = 0; k < this.capacity; k += 1) values[k] = this.#read(k);
      this.#values = values;
      this.#codes = null;
    }
    if (this.#values !== null) this.#values[slot] = v;
  }

  /** Stores v as a byte code if it is a small multiple of the unit (re-scaling codes if needed). */
  #encode(slot: number, v: number): boolean {
    const codes = this.#codes!;
    if (Number.isNaN(v)) {
      codes[slot] = MISSING;
      return true;
    }
    if (!(v >= 0) || Object.is(v, -0)) return false;
    if (v === 0) {
      codes[slot] = 0;
      return true;
    }
    if (this.#unit === 0) this.#unit = v;
    let code = Math.round(v / this.#unit);
    if (code * this.#unit !== v) {
      // A finer unit that divides the current one keeps every stored code a whole multiple.
      const ratio = this.#unit / v;
      if (!Number.isInteger(ratio) || ratio * v !== this.#unit) return false;
      for (let k = 0; k < codes.length; k += 1) {
        if (codes[k] === MISSING) continue;
        const scaled = codes[k] * ratio;
        if (scaled >= MISSING || scaled * v !== codes[k] * this.#unit) return false;
      }
      for (let k = 0; k < codes.length; k += 1) if (codes[k] !== MISSING) codes[k] *= ratio;
      this.#unit = v;
      code = 1;
    }
    if (code >= MISSING) return false;
    codes[slot] = code;
    return true;
  }

  #isExact(v: number): boolean {
    return Number.isInteger(v) && Math.abs(v) <= this.#exactBound;
  }

  #drop(v: number): void {
    if (Number.isNaN(v)) return;
    this.#finite -= 1;
    if (this.#isExact(v)) this.#exactSum -= v;
    else this.#inexact -= 1;
  }
}
