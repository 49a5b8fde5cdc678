// The last `capacity` sample times of one device, for dating a change's start. Kept as whole-millisecond
// steps in 2 bytes each (a quarter of a ring of epoch doubles), exactly: a step over 65.5 s widens them to
// 4 bytes, an uneven time (or one over 49 days) switches to doubles.

/** Largest step kept as an integer: below 2^32 ms (49 days); 2-byte steps up to 65,535 ms. */
const MAX_STEP_MS = 0xffffffff;
const MAX_SHORT_STEP_MS = 0xffff;

export class TimeRing {
  readonly capacity: number;
  /** Steps from each time to the next, newest at #next − 1; null once a time was not a whole ms step. */
  #steps: Uint16Array | Uint32Array | null;
  /** Absolute times, used instead of #steps from the first uneven time on. */
  #times: Float64Array | null = null;
  #next = 0;
  #length = 0;
  #latest = Number.NaN;

  /** `capacity` ≥ 1 times. */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.#steps = new Uint16Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** Appends the next sample time (epoch ms, after the previous one). */
  push(ts: number): void {
    const step = ts - this.#latest;
    let steps = this.#steps;
    if (steps !== null && this.#length > 0) {
      if (!(Number.isInteger(step) && step >= 0 && step <= MAX_STEP_MS)) this.#toTimes();
      else if (step > MAX_SHORT_STEP_MS && steps instanceof Uint16Array) {
        steps = Uint32Array.from(steps);
        this.#steps = steps;
      }
    }
    steps = this.#steps;
    const times = this.#times;
    if (times !== null) times[this.#next] = ts;
    else if (steps !== null) steps[this.#next] = this.#length === 0 ? 0 : step;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#length < this.capacity) this.#length += 1;
    this.#latest = ts;
  }

  /** The time `back` samples before the newest (0 = newest), 0 ≤ back < length. */
  at(back: number): number {
    const times = this.#times;
    const slot = (k: number) => (this.#next - 1 - k + 2 * this.capacity) % this.capacity;
    if (times !== null) return times[slot(back)];
    const steps = this.#steps as Uint16Array | Uint32Array;
    let t = this.#latest;
    for (let k = 0; k < back; k += 1) t -= steps[slot(k)];
    return t;
  }

  /** Rewrites the kept steps as absolute times (once, at the first uneven time). */
  #toTimes(): void {
    const times = new Float64Array(this.capacity);
    for (let k = 0; k < this.#length; k += 1) {
      const slot = (this.#next - 1 - k + 2 * this.capacity) % this.capacity;
      times[slot] = this.at(k);
    }
    this.#times = times;
    this.#steps = null;
  }
}
