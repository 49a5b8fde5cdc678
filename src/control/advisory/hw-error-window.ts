// The hardware-error rate of one device over a trailing time window, from its raw monotonic counter:
// a counter that goes down (a miner restart) starts the window again instead of giving a negative rate.

/** Shortest span that gives a rate, ms (a few seconds of counter would read as a wild rate). */
export const MIN_SPAN_MS = 60_000;

/** Rate of a window: errors per minute and the count behind it; null until MIN_SPAN_MS is covered. */
export interface WindowRate {
  readonly perMin: number | null;
  readonly count: number | null;
  /** Time the rate covers, ms (≤ the window; less while the history is shorter). */
  readonly spanMs: number | null;
}

const NONE: WindowRate = { perMin: null, count: null, spanMs: null };

export class HwErrorWindow {
  #ts: number[] = [];
  #values: number[] = [];
  #head = 0;

  /** Adds a reading (epoch ms, raw counter); null or non-finite readings and times not moving forward are skipped. */
  push(tsMs: number, counter: number | null): void {
    if (counter === null || !Number.isFinite(counter)) return;
    const n = this.#ts.length;
    if (n > this.#head) {
      if (tsMs <= this.#ts[n - 1]) return;
      if (counter < this.#values[n - 1]) this.#reset();
    }
    this.#ts.push(tsMs);
    this.#values.push(counter);
  }

  /**
   * Errors per minute between the oldest reading inside `windowMs` of the newest and the newest one.
   * Older readings are dropped as they leave the window.
   */
  rate(windowMs: number): WindowRate {
    const n = this.#ts.length;
    if (n === this.#head) return NONE;
    const newest = this.#ts[n - 1];
    while (this.#head < n - 1 && this.#ts[this.#head] < newest - windowMs) this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > n) {
      this.#ts = this.#ts.slice(this.#head);
      this.#values = this.#values.slice(this.#head);
      this.#head = 0;
    }
    const spanMs = newest - this.#ts[this.#head];
    if (spanMs < MIN_SPAN_MS) return NONE;
    const count = this.#values[this.#values.length - 1] - this.#values[this.#head];
    return { perMin: (count / spanMs) * 60_000, count, spanMs };
  }

  #reset(): void {
    this.#ts = [];
    this.#values = [];
    this.#head = 0;
  }
}
