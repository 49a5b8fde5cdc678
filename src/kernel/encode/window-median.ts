// Exact median of a sliding window in O(log w) per insert/remove: two indexed heaps (max-heap of the
// lower half, min-heap of the upper half) with true deletion by slot, so ties and memory stay exact.

import { RigtuneError } from '../../core/errors.ts';

/** Index storage: Uint8 while entries fit (the usual 61-sample windows), Uint16, else Int32. */
type IndexArray = Uint8Array | Uint16Array | Int32Array;

/**
 * The typed arrays behind one or more medians of one capacity c — `values` c doubles per member from
 * 0 on (NaN at first), `index` 2·c entries per member from `indexBase` on (default 0) — and the member
 * whose share this is.
 */
interface WindowMedianStorage {
  readonly values: Float64Array;
  readonly index: IndexArray;
  readonly member: number;
  readonly indexBase?: number;
}

/** Typed arrays for `count` medians of `capacity` slots in one buffer (member 0's share). */
function allocate(capacity: number, count: number): WindowMedianStorage {
  // Heap entries are value positions (member·c + slot), up to count·c − 1.
  const entries = capacity * count;
  const IndexType = entries <= 0x100 ? Uint8Array : entries <= 0x10000 ? Uint16Array : Int32Array;
  const buffer = new ArrayBuffer(entries * (8 + 2 * IndexType.BYTES_PER_ELEMENT));
  const values = new Float64Array(buffer, 0, entries).fill(Number.NaN);
  return { values, index: new IndexType(buffer, 8 * entries, 2 * entries), member: 0 };
}

/**
 * Room in an owner's buffer for {@link WindowMedian.group}: the members' values from `values[0]` on
 * (capacity doubles each), their indices as bytes from `index[indexBase]` on (2·capacity each).
 */
export interface WindowMedianSlab {
  readonly values: Float64Array;
  readonly index: Uint8Array;
  readonly indexBase: number;
}

const LOW = 1;
const HIGH = -1;
type Side = typeof LOW | typeof HIGH;

/**
 * Multiset of at most `capacity` finite values, each stored under a caller-chosen slot in
 * [0, capacity), with its exact median. A sliding window uses `slot = sequenceNumber % capacity`
 * and removes the outgoing slot before inserting the incoming one.
 *
 * Memory: `capacity` doubles plus 2·capacity indices (1 byte each while count·capacity ≤ 256, 2 up to
 * 65,536, else 4) in one buffer — 610 bytes of data for 61 slots — and no objects besides the buffer,
 * its two views and this one; {@link group} puts several medians on one buffer and two views.
 * Layout of one member's share, with c = capacity and v = member·c (its first value position):
 * - `values[v + slot]`: the slot's value, NaN when the slot is empty;
 * - heap area, c entries: both heaps, which together never hold more than c slots — the low max-heap's
 *   entry i at i, the high min-heap's entry i at c − 1 − i (they grow towards each other); an entry is
 *   a value position v + slot;
 * - position area, c entries: where slot's entry sits in the heap area; the slot is in the low heap iff
 *   that position is below the low heap's size.
 */
export class WindowMedian {
  readonly capacity: number;
  readonly #values: Float64Array;
  readonly #index: IndexArray;
  /**
   * Start of the member's heap area in #index (indexBase + 2·v, v = member·c the value position of slot
   * 0, which is capacity − #posBase + #heapBase: one field fewer per median).
   */
  readonly #heapBase: number;
  /**
   * #posBase + e is where the position of value position e = v + slot is kept (indexBase + v + c: the
   * position area starts at indexBase + 2·v + c).
   */
  readonly #posBase: number;
  #lowSize = 0;
  #highSize = 0;

  /**
   * An empty median of `capacity` slots with its own buffer; `storage` is {@link group}'s way to hand
   * a member its share of a common buffer (not for other callers).
   * @throws RigtuneError RT_KERNEL_ARGUMENT when `storage` has no share `member` of this capacity.
   */
  constructor(capacity: number, storage: WindowMedianStorage = allocate(capacity, 1)) {
    const { values, index, member } = storage;
    if (!Number.isInteger(member) || member < 0 || (member + 1) * capacity > values.length) {
      const message = `storage has no member ${member} of ${capacity} slots`;
      throw new RigtuneError('RT_KERNEL_ARGUMENT', message, { field: 'storage' });
    }
    this.capacity = capacity;
    this.#values = values;
    this.#index = index;
    const indexBase = storage.indexBase ?? 0;
    this.#heapBase = indexBase + 2 * member * capacity;
    this.#posBase = indexBase + member * capacity + capacity;
  }

  /**
   * `count` empty medians of `capacity` slots sharing one buffer and two typed-array views: the same
   * as `count` separate instances, with about 300 bytes less per member after the first. `into`: the
   * medians live in an owner's buffer instead (count·capacity ≤ 256, so that indices are bytes; the
   * values are set to NaN); throws RT_KERNEL_ARGUMENT when it is too small or the count too large.
   */
  static group(capacity: number, count: number, into?: WindowMedianSlab): WindowMedian[] {
    let shared: WindowMedianStorage;
    if (into === undefined) shared = allocate(capacity, count);
    else {
      const { values, index, indexBase } = into;
      const fits = values.length >= capacity * count && index.length >= indexBase + 2 * capacity * count;
      if (capacity * count > 0x100 || !fits) {
        const message = `a shared slab cannot hold ${count} medians of ${capacity} slots`;
        throw new RigtuneError('RT_KERNEL_ARGUMENT', message, { field: 'into' });
      }
      values.fill(Number.NaN, 0, capacity * count);
      shared = { values, index, member: 0, indexBase };
    }
    return Array.from({ length: count }, (_, member) => new WindowMedian(capacity, { ...shared, member }));
  }

  /** Number of values held. */
  get size(): number {
    return this.#lowSize + this.#highSize;
  }

  /** Adds a finite value under an empty slot. O(log capacity). */
  insert(slot: number, value: number): void {
    const values = this.#values;
    const v = this.capacity - this.#posBase + this.#heapBase + slot;
    values[v] = value;
    if (this.#lowSize === 0 || value <= values[this.#index[this.#heapBase]]) this.#push(LOW, v);
    else this.#push(HIGH, v);
    this.#rebalance();
  }

  /** Removes the value under `slot`; does nothing when the slot is empty. O(log capacity). */
  remove(slot: number): void {
    const v = this.capacity - this.#posBase + this.#heapBase + slot;
    if (Number.isNaN(this.#values[v])) return;
    const at = this.#index[this.#posBase + v];
    if (at < this.#lowSize) this.#removeAt(LOW, at);
    else this.#removeAt(HIGH, this.capacity - 1 - at);
    this.#values[v] = Number.NaN;
    this.#rebalance();
  }

  /**
   * Puts `value` under `slot`, replacing what the slot held: remove + insert in one re-sift when the
   * slot was occupied (the sliding window's steady state). Same multiset, hence the same median, as
   * `remove(slot); insert(slot, value)`. O(log capacity).
   */
  replace(slot: number, value: number): void {
    const values = this.#values;
    const v = this.capacity - this.#posBase + this.#heapBase + slot;
    const held = values[v];
    if (Number.isNaN(held)) {
      this.insert(slot, value);
      return;
    }
    // A held reading replacing an equal one leaves the multiset as it was.
    if (Object.is(held, value)) return;
    values[v] = value;
    const last = this.capacity - 1;
    const at = this.#index[this.#posBase + v];
    if (at < this.#lowSize) this.#update(LOW, at);
    else this.#update(HIGH, last - at);
    // Sizes are unchanged; only the order across the two heaps can be broken, by this one value.
    const index = this.#index;
    const h = this.#heapBase;
    if (this.#highSize > 0 && values[index[h]] > values[index[h + last]]) {
      // Swap the two tops across the heaps: each lands at the other's root and sinks (two sifts, not
      // the four of two pops and two pushes).
      const down = index[h];
      const up = index[h + last];
      this.#replaceTop(LOW, up);
      this.#replaceTop(HIGH, down);
    }
  }

  /**
   * Median of the values held: the middle one for an odd count, `(lower + upper) / 2` of the two
   * middle ones for an even count (pandas' rule), NaN when empty. O(1).
   */
  median(): number {
    const lowSize = this.#lowSize;
    if (lowSize === 0) return Number.NaN;
    const h = this.#heapBase;
    const lower = this.#values[this.#index[h]];
    if (lowSize > this.#highSize) return lower;
    return (this.#values[this.#index[h + this.capacity - 1]] + lower) / 2;
  }

  clear(): void {
    this.#lowSize = 0;
    this.#highSize = 0;
    const v = this.capacity - this.#posBase + this.#heapBase;
    this.#values.fill(Number.NaN, v, v + this.capacity);
  }

  /** Keeps |low| − |high| ∈ {0, 1}; one move suffices because each operation changes one size by 1. */
  #rebalance(): void {
    const index = this.#index;
    const h = this.#heapBase;
    if (this.#lowSize > this.#highSize + 1) {
      const v = index[h];
      this.#removeAt(LOW, 0);
      this.#push(HIGH, v);
    } else if (this.#highSize > this.#lowSize) {
      const v = index[h + this.capacity - 1];
      this.#removeAt(HIGH, 0);
      this.#push(LOW, v);
    }
  }

  /** Adds value position `v` to the heap on `side`. */
  #push(side: Side, v: number): void {
    const index = this.#index;
    if (side === LOW) {
      const i = this.#lowSize++;
      index[this.#heapBase + i] = v;
      index[this.#posBase + v] = i;
      this.#siftUpLow(i);
    } else {
      const i = this.#highSize++;
      const at = this.capacity - 1 - i;
      index[this.#heapBase + at] = v;
      index[this.#posBase + v] = at;
      this.#siftUpHigh(i);
    }
  }

  /** Removes the entry at heap index `i` (swap with the last entry, then restore the heap order). */
  #removeAt(side: Side, i: number): void {
    const index = this.#index;
    const h = this.#heapBase;
    const p = this.#posBase;
    const last = this.capacity - 1;
    if (side === LOW) {
      const size = --this.#lowSize;
      const moved = index[h + size];
      if (i === size) return;
      index[h + i] = moved;
      index[p + moved] = i;
      this.#siftUpLow(i);
      this.#siftDownLow(index[p + moved]);
    } else {
      const size = --this.#highSize;
      const moved = index[h + last - size];
      if (i === size) return;
      index[h + last - i] = moved;
      index[p + moved] = last - i;
      this.#siftUpHigh(i);
      this.#siftDownHigh(last - index[p + moved]);
    }
  }

  /** Puts value position `v` at the root in place of the current top (which leaves this heap), sinks it. */
  #replaceTop(side: Side, v: number): void {
    const at = side === LOW ? 0 : this.capacity - 1;
    this.#index[this.#heapBase + at] = v;
    this.#index[this.#posBase + v] = at;
    if (side === LOW) this.#siftDownLow(0);
    else this.#siftDownHigh(0);
  }

  /** Restores the heap order after the value of the entry at heap index `i` changed. */
  #update(side: Side, i: number): void {
    const index = this.#index;
    const h = this.#heapBase;
    const p = this.#posBase;
    if (side === LOW) {
      const v = index[h + i];
      this.#siftUpLow(i);
      this.#siftDownLow(index[p + v]);
    } else {
      const last = this.capacity - 1;
      const v = index[h + last - i];
      this.#siftUpHigh(i);
      this.#siftDownHigh(last - index[p + v]);
    }
  }

  // The sifts come in two copies, the low max-heap's (entry i at h + i) and the high min-heap's (entry i
  // at h + c − 1 − i): one routine over a ±1 side measured ~15 % slower. An entry is a value position;
  // the high side's `a < b` orders exactly as a max-heap of −a would.

  #siftUpLow(i: number): void {
    const index = this.#index;
    const values = this.#values;
    const h = this.#heapBase;
    const p = this.#posBase;
    const v = index[h + i];
    const key = values[v];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const up = index[h + parent];
      if (!(key > values[up])) break;
      index[h + i] = up;
      index[p + up] = i;
      i = parent;
    }
    index[h + i] = v;
    index[p + v] = i;
  }

  #siftDownLow(i: number): void {
    const index = this.#index;
    const values = this.#values;
    const h = this.#heapBase;
    const p = this.#posBase;
    const size = this.#lowSize;
    const v = index[h + i];
    const key = values[v];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      let down = index[h + child];
      let downKey = values[down];
      if (child + 1 < size) {
        const right = index[h + child + 1];
        const rightKey = values[right];
        if (rightKey > downKey) {
          child += 1;
          down = right;
          downKey = rightKey;
        }
      }
      if (!(downKey > key)) break;
      index[h + i] = down;
      index[p + down] = i;
      i = child;
    }
    index[h + i] = v;
    index[p + v] = i;
  }

  #siftUpHigh(i: number): void {
    const index = this.#index;
    const values = this.#values;
    const last = this.capacity - 1;
    const top = this.#heapBase + last;
    const p = this.#posBase;
    const v = index[top - i];
    const key = values[v];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const up = index[top - parent];
      if (!(key < values[up])) break;
      index[top - i] = up;
      index[p + up] = last - i;
      i = parent;
    }
    index[top - i] = v;
    index[p + v] = last - i;
  }

  #siftDownHigh(i: number): void {
    const index = this.#index;
    const values = this.#values;
    const last = this.capacity - 1;
    const top = this.#heapBase + last;
    const p = this.#posBase;
    const size = this.#highSize;
    const v = index[top - i];
    const key = values[v];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      let down = index[top - child];
      let downKey = values[down];
      if (child + 1 < size) {
        const right = index[top - child - 1];
        const rightKey = values[right];
        if (rightKey < downKey) {
          child += 1;
          down = right;
          downKey = rightKey;
        }
      }
      if (!(downKey < key)) break;
      index[top - i] = down;
      index[p + down] = last - i;
      i = child;
    }
    index[top - i] = v;
    index[p + v] = last - i;
  }
}
