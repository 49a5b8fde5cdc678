// Exact median of a sliding window in O(log w) per insert/remove: two indexed heaps (max-heap of the
// lower half, min-heap of the upper half) with true deletion by slot, so ties and memory stay exact.

/** Index storage: Uint16 while slots fit (the usual 61-sample windows), else Int32. */
type IndexArray = Uint16Array | Int32Array;

/**
 * One binary heap of slots ordered by `values[slot]`, tracking each slot's position for deletion. Its
 * entries live in `index[base .. base + capacity)`; slot positions in `index[0 .. capacity)`, shared
 * by both heaps of a WindowMedian (a slot lives in one heap at a time).
 */
class IndexedHeap {
  readonly #index: IndexArray;
  readonly #base: number;
  readonly #values: Float64Array;
  /** +1 for the max-heap, −1 for the min-heap: `a` belongs above `b` when sign·a > sign·b (negation is exact). */
  readonly #sign: number;
  size = 0;

  constructor(index: IndexArray, base: number, values: Float64Array, isMax: boolean) {
    this.#index = index;
    this.#base = base;
    this.#values = values;
    this.#sign = isMax ? 1 : -1;
  }

  /** Slot at the top (largest for the max-heap, smallest for the min-heap); only when size > 0. */
  top(): number {
    return this.#index[this.#base];
  }

  push(slot: number): void {
    const i = this.size++;
    this.#index[this.#base + i] = slot;
    this.#index[slot] = i;
    this.#siftUp(i);
  }

  pop(): number {
    const slot = this.#index[this.#base];
    this.removeAt(0);
    return slot;
  }

  /** Removes the entry at heap index `i` (swap with the last entry, then restore the heap order). */
  removeAt(i: number): void {
    const index = this.#index;
    const last = index[this.#base + --this.size];
    if (i === this.size) return;
    index[this.#base + i] = last;
    index[last] = i;
    this.#siftUp(i);
    this.#siftDown(index[last]);
  }

  clear(): void {
    this.size = 0;
  }

  /** Puts `slot` at the root in place of the current top (which leaves this heap) and sinks it. */
  replaceTop(slot: number): void {
    this.#index[this.#base] = slot;
    this.#index[slot] = 0;
    this.#siftDown(0);
  }

  /** Restores the heap order after the value of the entry at heap index `i` changed. */
  update(i: number): void {
    const slot = this.#index[this.#base + i];
    this.#siftUp(i);
    this.#siftDown(this.#index[slot]);
  }

  #siftUp(i: number): void {
    const index = this.#index;
    const values = this.#values;
    const sign = this.#sign;
    const b = this.#base;
    const slot = index[b + i];
    const key = sign * values[slot];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const up = index[b + parent];
      if (!(key > sign * values[up])) break;
      index[b + i] = up;
      index[up] = i;
      i = parent;
    }
    index[b + i] = slot;
    index[slot] = i;
  }

  #siftDown(i: number): void {
    const index = this.#index;
    const values = this.#values;
    const sign = this.#sign;
    const size = this.size;
    const b = this.#base;
    const slot = index[b + i];
    const key = sign * values[slot];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      let down = index[b + child];
      let downKey = sign * values[down];
      if (child + 1 < size) {
        const right = index[b + child + 1];
        const rightKey = sign * values[right];
        if (rightKey > downKey) {
          child += 1;
          down = right;
          downKey = rightKey;
        }
      }
      if (!(downKey > key)) break;
      index[b + i] = down;
      index[down] = i;
      i = child;
    }
    index[b + i] = slot;
    index[slot] = i;
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
  /**
   * Heap position of each slot at [0, capacity) (both heaps share it: a slot lives in one of them), the
   * low heap at [capacity, 2·capacity), the high heap at [2·capacity, 3·capacity), the side of each
   * slot (ABSENT, IN_LOW, IN_HIGH) at [3·capacity, 4·capacity).
   */
  readonly #index: IndexArray;
  readonly #sideOff: number;
  readonly #low: IndexedHeap;
  readonly #high: IndexedHeap;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#values = new Float64Array(capacity);
    this.#index = capacity <= 0x10000 ? new Uint16Array(4 * capacity) : new Int32Array(4 * capacity);
    this.#sideOff = 3 * capacity;
    this.#low = new IndexedHeap(this.#index, capacity, this.#values, true);
    this.#high = new IndexedHeap(this.#index, 2 * capacity, this.#values, false);
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
      this.#index[this.#sideOff + slot] = IN_LOW;
      low.push(slot);
    } else {
      this.#index[this.#sideOff + slot] = IN_HIGH;
      this.#high.push(slot);
    }
    this.#rebalance();
  }

  /** Removes the value under `slot`; does nothing when the slot is empty. O(log capacity). */
  remove(slot: number): void {
    const side = this.#index[this.#sideOff + slot];
    if (side === ABSENT) return;
    (side === IN_LOW ? this.#low : this.#high).removeAt(this.#index[slot]);
    this.#index[this.#sideOff + slot] = ABSENT;
    this.#rebalance();
  }

  /**
   * Puts `value` under `slot`, replacing what the slot held: remove + insert in one re-sift when the
   * slot was occupied (the sliding window's steady state). Same multiset, hence the same median, as
   * `remove(slot); insert(slot, value)`. O(log capacity).
   */
  replace(slot: number, value: number): void {
    const side = this.#index[this.#sideOff + slot];
    if (side === ABSENT) {
      this.insert(slot, value);
      return;
    }
    const values = this.#values;
    // A held reading replacing an equal one leaves the multiset as it was.
    if (Object.is(values[slot], value)) return;
    values[slot] = value;
    const heap = side === IN_LOW ? this.#low : this.#high;
    heap.update(this.#index[slot]);
    // Sizes are unchanged; only the order across the two heaps can be broken, by this one value.
    const low = this.#low;
    const high = this.#high;
    if (high.size > 0 && values[low.top()] > values[high.top()]) {
      // Swap the two tops across the heaps: each lands at the other's root and sinks (two sifts, not
      // the four of two pops and two pushes).
      const down = low.top();
      const up = high.top();
      this.#index[this.#sideOff + down] = IN_HIGH;
      this.#index[this.#sideOff + up] = IN_LOW;
      low.replaceTop(up);
      high.replaceTop(down);
    }
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
    this.#index.fill(ABSENT, this.#sideOff);
  }

  /** Keeps |low| − |high| ∈ {0, 1}; one move suffices because each operation changes one size by 1. */
  #rebalance(): void {
    const low = this.#low;
    const high = this.#high;
    if (low.size > high.size + 1) {
      const slot = low.pop();
      this.#index[this.#sideOff + slot] = IN_HIGH;
      high.push(slot);
    } else if (high.size > low.size) {
      const slot = high.pop();
      this.#index[this.#sideOff + slot] = IN_LOW;
      low.push(slot);
    }
  }
}
