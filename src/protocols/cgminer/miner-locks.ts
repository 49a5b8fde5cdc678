// One connection per miner at a time: cgminer's API "must be executed by one thread and does not
// support concurrency" (Avalon cgminer API doc), so every request to a miner waits for the one before.

import { SourceError } from '../../core/errors.ts';

interface Waiter {
  readonly grant: () => void;
  readonly reject: (err: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

interface Slot {
  busy: boolean;
  readonly waiters: Waiter[];
}

/** Releases a held lock; calling it again does nothing. */
export type ReleaseLock = () => void;

/** FIFO locks keyed by miner (`host:port`); a waiter can give up through its AbortSignal. */
export class MinerLocks {
  readonly #slots = new Map<string, Slot>();

  /**
   * Resolves with a release function once `key` is free (immediately when it is). Rejects with
   * SourceError kind 'timeout' when `signal` aborts first (the signal's reason is the cause).
   */
  acquire(key: string, signal?: AbortSignal): Promise<ReleaseLock> {
    if (signal?.aborted) return Promise.reject(abortError(key, signal));
    let slot = this.#slots.get(key);
    if (slot === undefined) {
      slot = { busy: false, waiters: [] };
      this.#slots.set(key, slot);
    }
    if (!slot.busy) {
      slot.busy = true;
      return Promise.resolve(this.#releaser(key, slot));
    }
    const held = slot;
    return new Promise<ReleaseLock>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', waiter.onAbort);
          resolve(this.#releaser(key, held));
        },
        reject,
        signal,
        onAbort: () => {
          const i = held.waiters.indexOf(waiter);
          if (i >= 0) held.waiters.splice(i, 1);
          reject(abortError(key, signal));
        },
      };
      held.waiters.push(waiter);
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
    });
  }

  /** True while a request to `key` holds the lock. */
  isBusy(key: string): boolean {
    return this.#slots.get(key)?.busy ?? false;
  }

  /** Requests waiting for `key`. */
  waiting(key: string): number {
    return this.#slots.get(key)?.waiters.length ?? 0;
  }

  #releaser(key: string, slot: Slot): ReleaseLock {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = slot.waiters.shift();
      if (next !== undefined) next.grant();
      else {
        slot.busy = false;
        this.#slots.delete(key);
      }
    };
  }
}

function abortError(key: string, signal: AbortSignal | undefined): SourceError {
  return new SourceError(
    'timeout',
    `Aborted while waiting for another request to ${key} to finish`,
    {},
    {
      cause: signal?.reason,
    },
  );
}

/** The process-wide locks `cgminerRequest` uses unless it is handed its own. */
export const sharedMinerLocks = new MinerLocks();
