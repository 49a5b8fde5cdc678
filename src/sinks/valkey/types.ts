// Types and small helpers of the Valkey sink: its dependencies, resolved options, counters, the system
// clock it falls back to, and how an error is shown in health().

import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import type { ValkeyOptions } from './options.ts';

/** What the sink needs from the runtime. */
export interface ValkeySinkDeps {
  readonly logger: Logger;
  /** Times the log rate limit and the retry backoff. Default: the system clock. */
  readonly clock?: Clock;
}

/** Options with the URL resolved (from `url` or the `url_env` variable). */
export type ValkeySinkOptions = ValkeyOptions & { readonly url: string };

/** Counters beyond SinkHealth (tests, collector metrics). */
export interface ValkeyStats {
  accepted: number;
  /** Items the server acknowledged (first sends and replays). */
  written: number;
  replayed: number;
  entriesAdded: number;
  /** Stream entries the server already had (a resend after a timeout or a crash), skipped. */
  duplicates: number;
  valuesSet: number;
  pipelines: number;
  failures: number;
  /** Items ever written to the spool. */
  spooledTotal: number;
}

/** All counters at zero. */
export function emptyStats(): ValkeyStats {
  return {
    accepted: 0,
    written: 0,
    replayed: 0,
    entriesAdded: 0,
    duplicates: 0,
    valuesSet: 0,
    pipelines: 0,
    failures: 0,
    spooledTotal: 0,
  };
}

/** Real time: Date.now and timers. */
export const systemClock: Clock = {
  nowMs: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
};

/** `Name: message` of an error, for health().lastError. */
export function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
