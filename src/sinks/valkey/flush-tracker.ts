// Acceptance numbers for flush(): every accepted item gets the next number; items settle in order
// (written, spooled or dropped), and a flush waits until the number current at its call has settled.

export class FlushTracker {
  #accepted = 0;
  #settled = 0;
  #waiters: Array<{ target: number; resolve: () => void }> = [];

  /** The number of a newly accepted item. */
  accept(): number {
    this.#accepted += 1;
    return this.#accepted;
  }

  /** Items up to `seq` are settled. */
  settle(seq: number): void {
    if (seq <= this.#settled) return;
    this.#settled = seq;
    const due = this.#waiters.filter((w) => w.target <= seq);
    if (due.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.target > seq);
    for (const w of due) w.resolve();
  }

  /** Every accepted item is settled. */
  settleAll(): void {
    this.settle(this.#accepted);
  }

  /** Resolves once everything accepted before this call has settled. */
  wait(): Promise<void> {
    const target = this.#accepted;
    if (this.#settled >= target) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ target, resolve }));
  }
}
