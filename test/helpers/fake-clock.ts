// A fake clock with timers for deterministic tests of anything scheduled (ingest): time moves only
// when the test advances it, timers fire in due order at their own time, promises settle in between.

import type { Clock } from '../../src/core/clock.ts';
import type { TimerHandle, Timers } from '../../src/ingest/timers.ts';

interface Armed {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** Lets every queued promise callback run (no time passes on any clock). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Clock + Timers on a hand-moved time base (epoch ms). */
export class FakeClock implements Clock, Timers {
  #now: number;
  #seq = 0;
  readonly #armed = new Map<number, Armed>();

  constructor(startMs = 1_700_000_000_000) {
    this.#now = startMs;
  }

  nowMs(): number {
    return this.#now;
  }

  /** Timers armed and not yet fired. */
  get pending(): number {
    return this.#armed.size;
  }

  set(fn: () => void, delayMs: number): TimerHandle {
    const seq = ++this.#seq;
    this.#armed.set(seq, { at: this.#now + Math.max(0, delayMs), seq, fn });
    return seq;
  }

  clear(handle: TimerHandle): void {
    this.#armed.delete(handle as number);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
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

  /** Moves time to `targetMs`, firing due timers in (time, arming) order, settling promises after each. */
  async advanceTo(targetMs: number): Promise<void> {
    await settle();
    for (;;) {
      let next: Armed | undefined;
      for (const a of this.#armed.values())
        if (
          a.at <= targetMs &&
          (next === undefined || a.at < next.at || (a.at === next.at && a.seq < next.seq))
        )
          next = a;
      if (next === undefined) break;
      this.#armed.delete(next.seq);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
      await settle();
    }
    this.#now = Math.max(this.#now, targetMs);
    await settle();
  }

  /** Moves time forward by `ms`. */
  advance(ms: number): Promise<void> {
    return this.advanceTo(this.#now + ms);
  }
}
