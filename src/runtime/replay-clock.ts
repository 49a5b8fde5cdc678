// The clock a replayed trace runs on: trace time, moved from timer to timer, each fired at its wall
// time divided by the speed (or at once at max speed), and never while a replay poll still reads.

import type { Clock } from '../core/clock.ts';
import type { TimerHandle, Timers } from '../ingest/index.ts';

/** `speed` meaning "as fast as possible". */
export const MAX_SPEED = Number.POSITIVE_INFINITY;

/**
 * Wall timers for the replay pump: a delay of 0 runs on the next turn of the event loop
 * (setImmediate) rather than after Node's 1 ms minimum, so a max-speed replay is not paced by it.
 */
export const REPLAY_WALL_TIMERS: Timers = {
  set: (fn, delayMs) => (delayMs > 0 ? { t: globalThis.setTimeout(fn, delayMs) } : { i: setImmediate(fn) }),
  clear: (handle) => {
    const h = handle as { t?: ReturnType<typeof setTimeout>; i?: ReturnType<typeof setImmediate> } | null;
    if (h?.t !== undefined) globalThis.clearTimeout(h.t);
    if (h?.i !== undefined) clearImmediate(h.i);
  },
};

interface Armed {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * Clock + Timers in trace time for the service's ingest scheduler during a replay. Time moves only
 * when a timer fires, to that timer's due time (as a fake clock does), so every poll happens at an
 * exact trace time and the outcome never depends on how fast the machine is. The timer due at trace
 * time T fires at wall time `wallStart + (T − traceStart) / speed` (max speed: as soon as possible),
 * but not while a hold is taken: a replay poll holds the clock while it reads the trace, so a slow
 * read delays the replay instead of timing out or overrunning polls.
 */
export class ReplayClock implements Clock, Timers {
  readonly #wallClock: Clock;
  readonly #wallTimers: Timers;
  readonly #speed: number;
  readonly #armed = new Map<number, Armed>();
  #nowMs: number;
  #seq = 0;
  #holds = 0;
  #anchor: { readonly traceMs: number; readonly wallMs: number } | null = null;
  #pump: TimerHandle | null = null;
  #frozen = false;

  /**
   * `startMs`: trace time at the start (epoch ms). `speed`: trace ms per wall ms, > 0; MAX_SPEED for
   * no pacing. `wall`: the real clock and timers (tests pass a fake clock as both).
   */
  constructor(startMs: number, speed: number, wall: { readonly clock: Clock; readonly timers: Timers }) {
    if (!(speed > 0)) throw new RangeError(`replay speed must be > 0, got ${speed}`);
    this.#nowMs = startMs;
    this.#speed = speed;
    this.#wallClock = wall.clock;
    this.#wallTimers = wall.timers;
  }

  /** Trace time now, epoch ms: the due time of the latest timer fired (or the start). */
  nowMs(): number {
    return this.#nowMs;
  }

  /** Ties the current trace time to the wall clock's now; timers fire from here on. */
  start(): void {
    if (this.#anchor !== null) return;
    this.#anchor = { traceMs: this.#nowMs, wallMs: this.#wallClock.nowMs() };
    this.#schedule();
  }

  set(fn: () => void, delayMs: number): TimerHandle {
    const seq = ++this.#seq;
    this.#armed.set(seq, { at: this.#nowMs + Math.max(0, delayMs), seq, fn });
    this.#schedule();
    return seq;
  }

  clear(handle: TimerHandle): void {
    if (this.#armed.delete(handle as number)) this.#schedule();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.clear(handle);
        reject(signal?.reason);
      };
      const handle = this.set(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Stops time from moving until the returned release is called (once; later calls do nothing). */
  hold(): () => void {
    this.#holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds -= 1;
      this.#schedule();
    };
  }

  /**
   * Stops time for good (the trace has ended): no timer fires any more, so the service's cadence and
   * health timers do not spin through empty trace time until it is stopped. Idempotent.
   */
  freeze(): void {
    this.#frozen = true;
    this.#schedule();
  }

  /** Timers armed and not yet fired. */
  get pending(): number {
    return this.#armed.size;
  }

  #next(): Armed | undefined {
    let next: Armed | undefined;
    for (const a of this.#armed.values())
      if (next === undefined || a.at < next.at || (a.at === next.at && a.seq < next.seq)) next = a;
    return next;
  }

  /** Wall ms until `at` is due (0 at max speed or when late). */
  #wallDelayMs(at: number): number {
    const a = this.#anchor as { traceMs: number; wallMs: number };
    if (this.#speed === MAX_SPEED) return 0;
    return Math.max(0, a.wallMs + (at - a.traceMs) / this.#speed - this.#wallClock.nowMs());
  }

  /** Arms one wall timer for the earliest trace timer (none while held, before start or when idle). */
  #schedule(): void {
    if (this.#pump !== null) this.#wallTimers.clear(this.#pump);
    this.#pump = null;
    const next = this.#next();
    if (this.#anchor === null || this.#frozen || this.#holds > 0 || next === undefined) return;
    this.#pump = this.#wallTimers.set(() => this.#fire(), this.#wallDelayMs(next.at));
  }

  #fire(): void {
    this.#pump = null;
    const next = this.#next();
    if (this.#frozen || this.#holds > 0 || next === undefined) return;
    if (this.#wallDelayMs(next.at) > 0) {
      this.#schedule();
      return;
    }
    this.#armed.delete(next.seq);
    this.#nowMs = Math.max(this.#nowMs, next.at);
    next.fn();
    this.#schedule();
  }
}
