// A client bound to one miner: the request function plus its retry policy, clock and randomness,
// so sources ask for `client.request('summary')` and never re-implement backoff.

import type { Clock } from '../../core/clock.ts';
import { type CgminerReply, type CgminerRequestOptions, cgminerRequest } from './client.ts';
import type { MinerLocks } from './miner-locks.ts';
import { type RetryDeps, type RetryPolicy, withRetry } from './retry.ts';

/** How to reach one miner and how hard to try. Times in ms. */
export interface CgminerClientOptions {
  readonly host: string;
  /** TCP port; cgminer's default is 4028. */
  readonly port: number;
  /** Whole-exchange limit per attempt, ms. */
  readonly timeoutMs: number;
  /** Connect limit per attempt, ms; default `timeoutMs`. */
  readonly connectTimeoutMs?: number;
  /** Retries after the first attempt, for transient failures only (0 = no retry). */
  readonly retries: number;
  /** Backoff before the first retry, ms (doubled per retry, with jitter). */
  readonly backoffMs: number;
  /** Cap of the backoff, ms; default 8 × backoffMs. */
  readonly backoffMaxMs?: number;
  readonly maxReplyBytes?: number;
  readonly jsonFraming?: boolean;
  /** Sleeps between retries. */
  readonly clock: Clock;
  /** Uniform [0, 1) jitter source. */
  readonly random: () => number;
  readonly locks?: MinerLocks;
  /** Hears about each retry (for the owning component's rate-limited log). */
  readonly onRetry?: RetryDeps['onRetry'];
}

/** Sends commands to one miner with retries. */
export interface CgminerClient {
  readonly host: string;
  readonly port: number;
  /** One command (or `a+b`), retried on transient failures; throws the last SourceError. */
  request(
    command: string,
    options?: { parameter?: CgminerRequestOptions['parameter']; signal?: AbortSignal },
  ): Promise<CgminerReply>;
}

/** A client for the miner at `options.host:options.port`. */
export function createCgminerClient(options: CgminerClientOptions): CgminerClient {
  const policy: RetryPolicy = {
    attempts: options.retries + 1,
    baseDelayMs: options.backoffMs,
    maxDelayMs: options.backoffMaxMs ?? options.backoffMs * 8,
  };
  return {
    host: options.host,
    port: options.port,
    request(command, o = {}) {
      const deps: RetryDeps = {
        clock: options.clock,
        random: options.random,
        signal: o.signal,
        onRetry: options.onRetry,
      };
      return withRetry(
        () =>
          cgminerRequest(options.host, options.port, command, {
            parameter: o.parameter,
            signal: o.signal,
            timeoutMs: options.timeoutMs,
            connectTimeoutMs: options.connectTimeoutMs,
            maxReplyBytes: options.maxReplyBytes,
            jsonFraming: options.jsonFraming,
            locks: options.locks,
          }),
        policy,
        deps,
      );
    },
  };
}
