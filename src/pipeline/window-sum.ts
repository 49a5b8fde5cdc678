// Sums of the finite values among the last `capacity` samples of one or more lanes (the reject rate's six
// share windows), added oldest first from 0: O(1) a sample while every value is a modest integer, else a loop.

/** Byte code of a missing sample in the compact ring. */
const MISSING = 255;
/** Numbers of per-lane state: unit, exact sum, next slot, length, finite count, inexact count. */
const UNIT = 0;
const EXACT_SUM = 1;
const NEXT = 2;
const LENGTH = 3;
const FINITE = 4;
const INEXACT = 5;
const STATE = 6;

/**
 * Sliding windows of numbers (NaN = missing), `lanes` of them side by side, and the sum of each one's
 * finite values. While every finite value in a lane's window is an integer small enough that any partial
 * sum is exact, a running total equals the left-to-right sum bit for bit (integer additions below 2^53
 * are exact in any order); otherwise the window is summed left to right.
 *
 * Storage: share deltas per sample are small multiples of one unit (counts: 1; difficulty sums: the
 * pool difficulty), so samples are kept as one byte each, value = code × unit, until one is not such
 * a multiple; then that lane's ring turns into doubles. Every lane's codes and state share one buffer,
 * made at the first finite value of any lane; before it only the lanes' sample counts move.
 */
export class WindowSum {
  readonly capacity: number;
  readonly lanes: number;
  /** |integer| bound under which `capacity + 1` values sum exactly (below 2^53). */
  readonly #exactBound: number;
  /** Per lane STATE numbers (see the constants above), lanes × STATE; null before the first finite value. */
  #state: Float64Array | null = null;
  /** Per lane `capacity` byte codes, lane after lane, in the same buffer as #state. */
  #codes: Uint8Array | null = null;
  /** Per lane ring of doubles, for a lane whose values stopped being byte codes; null while none did. */
  #values: (Float64Array | null)[] | null = null;
  /** Samples pushed per lane before #state exists (each ≤ capacity); null after. */
  #early: number[] | null;

  /** `capacity` samples a lane (an integer; below 1 the windows are always empty), `lanes` ≥ 1 windows. */
  constructor(capacity: number, lanes = 1) {
    this.capacity = capacity;
    this.lanes = lanes;
    this.#exactBound = 2 ** (53 - Math.ceil(Math.log2(capacity + 2)));
    this.#early = new Array<number>(lanes).fill(0);
  }

  /** Appends the next sample of `lane` (NaN or ±Infinity = missing), dropping its oldest once full. */
  push(value: number, lane = 0): void {
    const cap = this.capacity;
    if (cap < 1) return;
    const v = Number.isFinite(value) ? value : Number.NaN;
    let st = this.#state;
    if (st === null) {
      const early = this.#early!;
      if (Number.isNaN(v)) {
        // Nothing stored yet: only the count of samples in the window moves.
        if (early[lane] < cap) early[lane] += 1;
        return;
      }
      st = this.#allocate(early);
    }
    const at = lane * STATE;
    const next = st[at + NEXT];
    if (st[at + LENGTH] === cap) this.#drop(lane, this.#read(lane, next));
    else st[at + LENGTH] += 1;
    this.#write(lane, next, v);
    st[at + NEXT] = next + 1 === cap ? 0 : next + 1;
    if (Number.isNaN(v)) return;
    st[at + FINITE] += 1;
    if (this.#isExact(v)) st[at + EXACT_SUM] += v;
    else st[at + INEXACT] += 1;
  }

  /** Sum of the finite values in `lane`'s window, left to right from 0 (oldest first); null when none. */
  sum(lane = 0): number | null {
    const st = this.#state;
    if (st === null) return null;
    const at = lane * STATE;
    if (st[at + FINITE] === 0) return null;
    if (st[at + INEXACT] === 0) return st[at + EXACT_SUM];
    const cap = this.capacity;
    const length = st[at + LENGTH];
    const next = st[at + NEXT];
    let sum = 0;
    for (let k = 0; k < length; k += 1) {
      const v = this.#read(lane, (next - length + k + cap) % cap);
      if (!Number.isNaN(v)) sum += v;
    }
    return sum;
  }

  /**
   * Makes the shared buffer; each lane's earlier samples were all missing, so it starts as a ring of
   * missing codes that holds as many of them, with the next sample at the slot after them.
   */
  #allocate(early: number[]): Float64Array {
    const cap = this.capacity;
    const n = this.lanes;
    const buffer = new ArrayBuffer(n * STATE * 8 + n * cap);
    const st = new Float64Array(buffer, 0, n * STATE);
    this.#codes = new Uint8Array(buffer, n * STATE * 8, n * cap).fill(MISSING);
    for (let l = 0; l < n; l += 1) {
      st[l * STATE + LENGTH] = early[l];
      st[l * STATE + NEXT] = early[l] % cap;
    }
    this.#state = st;
    this.#early = null;
    return st;
  }

  #read(lane: number, slot: number): number {
    const values = this.#values?.[lane];
    if (values != null) return values[slot];
    const code = this.#codes![lane * this.capacity + slot];
    return code === MISSING ? Number.NaN : code * this.#state![lane * STATE + UNIT];
  }

  #write(lane: number, slot: number, v: number): void {
    let values = this.#values?.[lane] ?? null;
    if (values === null && !this.#encode(lane, slot, v)) {
      values = new Float64Array(this.capacity);
      for (let k = 0; k < this.capacity; k += 1) values[k] = this.#read(lane, k);
      this.#values ??= new Array<Float64Array | null>(this.lanes).fill(null);
      this.#values[lane] = values;
    }
    if (values !== null) values[slot] = v;
  }

  /** Stores v as a byte code if it is a small multiple of the lane's unit (re-scaling codes if needed). */
  #encode(lane: number, slot: number, v: number): boolean {
    const codes = this.#codes!;
    const st = this.#state!;
    const cap = this.capacity;
    const base = lane * cap;
    if (Number.isNaN(v)) {
      codes[base + slot] = MISSING;
      return true;
    }
    if (!(v >= 0) || Object.is(v, -0)) return false;
    if (v === 0) {
      codes[base + slot] = 0;
      return true;
    }
    const u = lane * STATE + UNIT;
    if (st[u] === 0) st[u] = v;
    let code = Math.round(v / st[u]);
    if (code * st[u] !== v) {
      // A finer unit that divides the current one keeps every stored code a whole multiple.
      const unit = st[u];
      const ratio = unit / v;
      if (!Number.isInteger(ratio) || ratio * v !== unit) return false;
      for (let k = base; k < base + cap; k += 1) {
        if (codes[k] === MISSING) continue;
        const scaled = codes[k] * ratio;
        if (scaled >= MISSING || scaled * v !== codes[k] * unit) return false;
      }
      for (let k = base; k < base + cap; k += 1) if (codes[k] !== MISSING) codes[k] *= ratio;
      st[u] = v;
      code = 1;
    }
    if (code >= MISSING) return false;
    codes[base + slot] = code;
    return true;
  }

  #isExact(v: number): boolean {
    return Number.isInteger(v) && Math.abs(v) <= this.#exactBound;
  }

  #drop(lane: number, v: number): void {
    if (Number.isNaN(v)) return;
    const st = this.#state!;
    st[lane * STATE + FINITE] -= 1;
    if (this.#isExact(v)) st[lane * STATE + EXACT_SUM] -= v;
    else st[lane * STATE + INEXACT] -= 1;
  }
}
