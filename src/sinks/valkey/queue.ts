// The sink's in-memory FIFO of encoded items with a byte count: O(1) push and take from the head,
// compacted now and then, so a queue of thousands of batches costs no repeated array shifting.

import type { Item } from './encode.ts';

/** An accepted item and its acceptance number (1, 2, …; flush waits on these). */
export interface Queued {
  readonly item: Item;
  readonly seq: number;
}

export class ItemQueue {
  /** Slots below #head are cleared (undefined): a taken item is not kept alive until the next compaction. */
  #items: (Queued | undefined)[] = [];
  #head = 0;
  #bytes = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Sum of the items' `bytes`. */
  get bytes(): number {
    return this.#bytes;
  }

  push(q: Queued): void {
    this.#items.push(q);
    this.#bytes += q.item.bytes;
  }

  /** Removes and returns up to `n` items from the head. */
  take(n: number): Queued[] {
    const out = this.#items.slice(this.#head, this.#head + n) as Queued[];
    for (const q of out) {
      this.#bytes -= q.item.bytes;
      this.#items[this.#head++] = undefined;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return out;
  }

  /** Puts `qs` back at the head, in their order (a send that failed). */
  unshift(qs: readonly Queued[]): void {
    this.#items = [...qs, ...this.#items.slice(this.#head)];
    this.#head = 0;
    for (const q of qs) this.#bytes += q.item.bytes;
  }

  /** Removes and returns everything. */
  takeAll(): Queued[] {
    return this.take(this.length);
  }
}
