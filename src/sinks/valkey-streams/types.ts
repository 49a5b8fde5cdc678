// What the stream writer needs from the runtime (a connection that runs scripts and commands, a logger,
// a clock) and the counters it keeps; the connection is injected so one client factory serves all.

import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import type { LuaScript } from './script.ts';

/**
 * A Valkey connection (single server or cluster) as the writer uses it. Every call touches keys of
 * one hash slot, so a cluster client can route it by its first key.
 */
export interface ScriptPort {
  /** True while commands can be sent (connected). */
  readonly isReady: boolean;
  /** Runs `script` (EVALSHA, EVAL when the server lacks it); `keys` share one slot. Rejects on failure. */
  runScript(script: LuaScript, keys: readonly string[], argv: readonly string[]): Promise<unknown>;
  /** One command whose first key is `key`. Rejects on failure or an error reply. */
  command(key: string, args: readonly string[]): Promise<unknown>;
  /** Resolves once ready, or when `signal` aborts. */
  waitReady(signal: AbortSignal): Promise<void>;
}

export interface StreamWriterDeps {
  readonly port: ScriptPort;
  readonly logger: Logger;
  /** Sequence numbers and backoff sleeps. Default: the system clock. */
  readonly clock?: Clock;
}

/** Counters beyond SinkHealth (tests, metrics). */
export interface StreamWriterStats {
  /** Entries accepted by append/write. */
  appended: number;
  /** Entries the server added to a stream. */
  added: number;
  /** Entries the server already had (a resend after an ambiguous failure), skipped. */
  skipped: number;
  /** Entries ever written to the spool. */
  spooledTotal: number;
  /** Entries sent from the spool. */
  replayed: number;
  /** Sends that failed (outage, timeout, refusal). */
  failures: number;
}

/** Counters at zero. */
export function emptyWriterStats(): StreamWriterStats {
  return { appended: 0, added: 0, skipped: 0, spooledTotal: 0, replayed: 0, failures: 0 };
}
