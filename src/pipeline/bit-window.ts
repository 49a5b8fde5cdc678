// A fixed-length sliding window of bits (oldest first), read packed for the QFH kernel without copying
// bit by bit. The kernel analyses whatever it is handed, so the window decides what "recent" means.

/** Windows up to this many bits are kept as one unsigned integer only (see `word`). */
const WORD_BITS = 32;

export class BitWindow {
  readonly capacity: number;
  /** Bits of windows longer than WORD_BITS (ring); null for short windows, which live in #word. */
  readonly #ring: Uint8Array | null;
  #scratch: Uint8Array | null = null;
  readonly #mask: number;
  #next = 0;
  #length = 0;
  #word = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#ring = capacity > WORD_BITS ? new Uint8Array(capacity) : null;
    this.#mask = capacity >= WORD_BITS ? 0xffffffff : (1 << capacity) - 1;
  }

  get length(): number {
    return this.#length;
  }

  /**
   * The newest min(length, 32) bits as an unsigned integer, newest in bit 0: the whole window when
   * capacity ≤ 32, so two equal words (at equal length) are two equal windows.
   */
  get word(): number {
    return this.#word;
  }

  push(bit: 0 | 1): void {
    if (this.#ring !== null) {
      this.#ring[this.#next] = bit;
      this.#next = (this.#next + 1) % this.capacity;
    }
    if (this.#length < this.capacity) this.#length += 1;
    this.#word = (((this.#word << 1) | bit) & this.#mask) >>> 0;
  }

  /** The bits oldest first, as a view of an internal buffer that the next call overwrites. */
  view(): Uint8Array {
    const n = this.#length;
    this.#scratch ??= new Uint8Array(this.capacity);
    const scratch = this.#scratch;
    const ring = this.#ring;
    if (ring === null) {
      for (let i = 0; i < n; i += 1) scratch[i] = (this.#word >>> (n - 1 - i)) & 1;
    } else {
      const start = (this.#next - n + this.capacity) % this.capacity;
      for (let i = 0; i < n; i += 1) scratch[i] = ring[(start + i) % this.capacity];
    }
    return scratch.subarray(0, n);
  }

  /**
   * Writes the bits oldest first, packed MSB first (the QFH kernel's layout), to `out` from byte 0;
   * `out` needs max(4, ⌈capacity / 8⌉) bytes. Returns the number of bits (= length).
   */
  pack(out: Uint8Array): number {
    const n = this.#length;
    const ring = this.#ring;
    if (ring === null) {
      const shifted = n === 0 ? 0 : (this.#word << (WORD_BITS - n)) >>> 0;
      out[0] = shifted >>> 24;
      out[1] = (shifted >>> 16) & 0xff;
      out[2] = (shifted >>> 8) & 0xff;
      out[3] = shifted & 0xff;
      return n;
    }
    out.fill(0, 0, (n + 7) >>> 3);
    const start = (this.#next - n + this.capacity) % this.capacity;
    for (let i = 0; i < n; i += 1) {
      if (ring[(start + i) % this.capacity] === 1) out[i >>> 3] |= 0x80 >>> (i & 7);
    }
    return n;
  }
}
