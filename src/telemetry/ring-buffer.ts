// Fixed-capacity ring buffer of numbers over a Float64Array: the recent history of one channel,
// kept without allocation per sample so a fleet's windows stay bounded in memory.

import { RigtuneError } from '../core/errors.ts';

/** Throws RT_KERNEL_ARGUMENT unless `n` is an integer ≥ 1. */
export function assertCapacity(n: number, name: string): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new RigtuneError('RT_KERNEL_ARGUMENT', `${name} must be an integer ≥ 1, got ${n}`, { field: name });
  }
}

/**
 * The newest `capacity` numbers pushed, oldest first. Values are stored as given (callers use NaN
 * for "missing"). Pushing onto a full buffer drops the oldest value.
 */
export class RingBuffer {
  readonly #data: Float64Array;
  #start = 0;
  #length = 0;

  /** Throws RT_KERNEL_ARGUMENT unless `capacity` is an integer ≥ 1. */
  constructor(capacity: number) {
    assertCapacity(capacity, 'capacity');
    this.#data = new Float64Array(capacity);
  }

  /** Most values the buffer holds. */
  get capacity(): number {
    return this.#data.length;
  }

  /** Values held now (≤ capacity). */
  get length(): number {
    return this.#length;
  }

  /** Appends `value` as the newest, dropping the oldest when full. */
  push(value: number): void {
    const cap = this.#data.length;
    if (this.#length < cap) {
      this.#data[(this.#start + this.#length) % cap] = value;
      this.#length++;
    } else {
      this.#data[this.#start] = value;
      this.#start = (this.#start + 1) % cap;
    }
  }

  /** The value at `index` (0 = oldest; negative counts from the newest, -1 = newest); undefined outside. */
  at(index: number): number | undefined {
    const i = index < 0 ? this.#length + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.#length) return undefined;
    return this.#data[(this.#start + i) % this.#data.length];
  }

  /** The newest value, or undefined when empty. */
  newest(): number | undefined {
    return this.at(-1);
  }

  /** The newest `n` values (all when n ≥ length) as a new array, oldest first, newest last. */
  last(n: number): Float64Array {
    const count = Math.max(0, Math.min(Math.floor(n), this.#length));
    const out = new Float64Array(count);
    const cap = this.#data.length;
    const first = this.#start + this.#length - count;
    for (let k = 0; k < count; k++) out[k] = this.#data[(first + k) % cap];
    return out;
  }

  /** Every value held, oldest first, newest last, as a new array. */
  toArray(): Float64Array {
    return this.last(this.#length);
  }

  /** Empties the buffer (capacity unchanged). */
  clear(): void {
    this.#start = 0;
    this.#length = 0;
  }

  /** Values oldest first. */
  *[Symbol.iterator](): IterableIterator<number> {
    const cap = this.#data.length;
    for (let k = 0; k < this.#length; k++) yield this.#data[(this.#start + k) % cap];
  }
}
