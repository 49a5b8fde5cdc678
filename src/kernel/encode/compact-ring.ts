// Fixed-size store of numbers (NaN = missing) that keeps small integers (most gauges: °C, %, MHz, rpm)
// in 2 bytes each and turns into doubles at the first other value, so live windows cost less memory.

/** Int16 code of a missing value. */
const MISSING = -32768;

/** True when `x` is stored exactly as a 16-bit code. */
function fitsInt16(x: number): boolean {
  return Number.isInteger(x) && x > MISSING && x <= 32767 && !Object.is(x, -0);
}

/**
 * `size` numbers, all NaN at first. get(i) returns exactly what set(i, x) stored (NaN for any NaN),
 * whatever the storage; only the memory differs.
 */
export class CompactRing {
  readonly size: number;
  #ints: Int16Array | null;
  #doubles: Float64Array | null = null;

  constructor(size: number) {
    this.size = size;
    this.#ints = new Int16Array(size).fill(MISSING);
  }

  get(i: number): number {
    const ints = this.#ints;
    if (ints === null) return this.#doubles![i];
    const code = ints[i];
    return code === MISSING ? Number.NaN : code;
  }

  set(i: number, x: number): void {
    const ints = this.#ints;
    if (ints !== null) {
      if (Number.isNaN(x)) {
        ints[i] = MISSING;
        return;
      }
      if (fitsInt16(x)) {
        ints[i] = x;
        return;
      }
      const doubles = new Float64Array(this.size);
      for (let k = 0; k < this.size; k += 1) doubles[k] = ints[k] === MISSING ? Number.NaN : ints[k];
      this.#doubles = doubles;
      this.#ints = null;
    }
    this.#doubles![i] = x;
  }

  /** Sets every entry to NaN (the storage stays as it is). */
  clear(): void {
    if (this.#ints !== null) this.#ints.fill(MISSING);
    else this.#doubles!.fill(Number.NaN);
  }
}
