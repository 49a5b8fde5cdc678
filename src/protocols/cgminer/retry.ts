// Retries for transient failures only (connect, timeout, reset), with exponential backoff and
// jitter drawn from an injected random source, sleeping on an injected Clock (a fake one in tests).

import type { Clock } from '../../core/clock.ts';
import { SourceError } from '../../core/errors.ts';

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Total tries, the first included (retries + 1); at least 1. */
  readonly attempts: number;
  /** Backoff before the first retry, ms; doubled for each further retry. */
  readonly baseDelayMs: number;
  /** Cap of the doubled backoff, ms. */
  readonly maxDelayMs: number;
}

/** What a retry loop needs from outside: time, randomness, cancellation, a hook for logging. */
export interface RetryDeps {
  readonly clock: Clock;
  /** Uniform in [0, 1); seeded in tests. */
  readonly random: () => number;
  readonly signal?: AbortSignal;
  /** Called before each backoff sleep with the failed attempt (1-based), the delay and the error. */
  readonly onRetry?: (attempt: number, delayMs: number, error: SourceError) => void;
}

/**
 * Backoff before retry number `retry` (1-based): `d = min(maxDelayMs, baseDelayMs × 2^(retry−1))`,
 * then "equal jitter" `d/2 + random × d/2`, rounded to whole ms — never zero for d ≥ 2, so a flapping
 * miner is not hammered, and spread so a fleet does not retry in lockstep.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random01: number): number {
  const d = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const r = Math.min(Math.max(random01, 0), 1);
  return Math.round(d / 2 + (r * d) / 2);
}

/**
 * Runs `attempt` until it succeeds, fails with a non-transient error, or `policy.attempts` tries are
 * used; throws the last error. Only SourceErrors with `transient` (connect, timeout, reset) are
 * retried; 'protocol', 'status' and non-SourceErrors are thrown at once. When `signal` aborts during a
 * backoff, the last error is thrown.
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<T> {
  const attempts = Math.max(1, Math.floor(policy.attempts));
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof SourceError) || !err.transient || n >= attempts || deps.signal?.aborted) throw err;
      const delayMs = backoffDelayMs(n, policy, deps.random());
      deps.onRetry?.(n, delayMs, err);
      try {
        await deps.clock.sleep(delayMs, deps.signal);
      } catch {
        // Aborted while backing off: the failed attempt's error says more than the abort reason.
        throw err;
      }
    }
  }
}
