// Exact median of a sliding window in O(log w) per insert/remove: two indexed heaps (max-heap of the
// lower half, min-heap of the upper half) with true deletion by slot, so ties and memory stay exact.

/** One binary heap of slots ordered by `values[slot]`, tracking each slot's position for deletion. */
class IndexedHeap {
  readonly #slots: Int32Array;
  readonly #values: Float64Array;
  readonly #pos: Int32Array;
  readonly #isMax: boolean;
  size = 0;

  constructor(capacity: number, values: Float64Array, pos: Int32Array, isMax: boolean) {
    this.#slots = new Int32Array(capacity);
    this.#values = values;
    this.#pos = pos;
    this.#isMax = isMax;
  }

  /** Slot at the top (largest for the max-heap, smallest for the min-heap); only when size > 0. */
  top(): number {
    return this.#slots[0];
  }

  push(slot: number): void {
    const i = this.size++;
    this.#slots[i] = slot;
    this.#pos[slot] = i;
    this.#siftUp(i);
  }

  pop(): number {
    const slot = this.#slots[0];
    this.removeAt(0);
    return slot;
  }

  /** Removes the entry at heap index `i` (swap with the last entry, then restore the heap order). */
  removeAt(i: number): void {
    const last = this.#slots[--this.size];
    if (i === this.size) return;
    this.#slots[i] = last;
    this.#pos[last] = i;
    this.#siftUp(i);
    this.#siftDown(this.#pos[last]);
  }

  clear(): void {
    this.size = 0;
  }

  /** True when slot a belongs above slot b. */
  #above(a: number, b: number): boolean {
    const va = this.#values[a];
    const vb = this.#values[b];
    return this.#isMax ? va > vb : va < vb;
  }

  #siftUp(i: number): void {
    const slots = this.#slots;
    const slot = slots[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#above(slot, slots[parent])) break;
      slots[i] = slots[parent];
      this.#pos[slots[i]] = i;
      i = parent;
    }
    slots[i] = slot;
    this.#pos[slot] = i;
  }

  #siftDown(i: number): void {
    const slots = this.#slots;
    const slot = slots[i];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.#above(slots[child + 1], slots[child])) child += 1;
      if (!this.#above(slots[child], slot)) break;
      slots[i] = slots[child];
      this.#pos[slots[i]] = i;
      i = child;
    }
    slots[i] = slot;
    this.#pos[slot] = i;
  }
}

const ABSENT = 0;
const IN_LOW = 1;
const IN_HIGH = 2;

/**
 * Multiset of at most `capacity` finite values, each stored under a caller-chosen slot in
 * [0, capacity), with its exact median. A sliding window uses `slot = sequenceNumber % capacity`
 * and removes the outgoing slot before inserting the incoming one.
 */
export class WindowMedian {
  readonly capacity: number;
  readonly #values: Float64Array;
  readonly #side: Uint8Array;
  /** Heap index of each slot; both heaps share it because a slot lives in exactly one of them. */
  readonly #pos: Int32Array;
  readonly #low: IndexedHeap;
  readonly #high: IndexedHeap;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#values = new Float64Array(capacity);
    this.#side = new Uint8Array(capacity);
    this.#pos = new Int32Array(capacity);
    this.#low = new IndexedHeap(capacity, this.#values, this.#pos, true);
    this.#high = new IndexedHeap(capacity, this.#values, this.#pos, false);
  }

  /** Number of values held. */
  get size(): number {
    return this.#low.size + this.#high.size;
  }

  /** Adds a finite value under an empty slot. O(log capacity). */
  insert(slot: number, value: number): void {
    this.#values[slot] = value;
    const low = this.#low;
    if (low.size === 0 || value <= this.#values[low.top()]) {
      this.#side[slot] = IN_LOW;
      low.push(slot);
    } else {
      this.#side[slot] = IN_HIGH;
      this.#high.push(slot);
    }
    this.#rebalance();
  }

  /** Removes the value under `slot`; does nothing when the slot is empty. O(log capacity). */
  remove(slot: number): void {
    const side = this.#side[slot];
    if (side === ABSENT) return;
    (side === IN_LOW ? this.#low : this.#high).removeAt(this.#pos[slot]);
    this.#side[slot] = ABSENT;
    this.#rebalance();
  }

  /**
   * Median of the values held: the middle one for an odd count, `(lower + upper) / 2` of the two
   * middle ones for an even count (pandas' rule), NaN when empty. O(1).
   */
  median(): number {
    const lowSize = this.#low.size;
    if (lowSize === 0) return Number.NaN;
    const lower = this.#values[this.#low.top()];
    if (lowSize > this.#high.size) return lower;
    return (this.#values[this.#high.top()] + lower) / 2;
  }

  clear(): void {
    this.#low.clear();
    this.#high.clear();
    this.#side.fill(ABSENT);
  }

  /** Keeps |low| − |high| ∈ {0, 1}; one move suffices because each operation changes one size by 1. */
  #rebalance(): void {
    const low = this.#low;
    const high = this.#high;
    if (low.size > high.size + 1) {
      const slot = low.pop();
      this.#side[slot] = IN_HIGH;
      high.push(slot);
    } else if (high.size > low.size) {
      const slot = high.pop();
      this.#side[slot] = IN_LOW;
      low.push(slot);
    }
  }
}
