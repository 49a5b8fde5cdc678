// A fixed-length sliding window of bits (oldest first), read into a reused buffer for the QFH kernel.
// The kernel analyses whatever it is handed, so the window decides what "recent" means.

export class BitWindow {
  readonly capacity: number;
  readonly #ring: Uint8Array;
  readonly #scratch: Uint8Array;
  #next = 0;
  #length = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#ring = new Uint8Array(capacity);
    this.#scratch = new Uint8Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  push(bit: 0 | 1): void {
    this.#ring[this.#next] = bit;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#length < this.capacity) this.#length += 1;
  }

  /** The bits oldest first, as a view of an internal buffer that the next call overwrites. */
  view(): Uint8Array {
    const start = (this.#next - this.#length + this.capacity) % this.capacity;
    for (let i = 0; i < this.#length; i += 1) this.#scratch[i] = this.#ring[(start + i) % this.capacity];
    return this.#scratch.subarray(0, this.#length);
  }
}
