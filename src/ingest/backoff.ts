// How long a failing source rests before its next poll: exponential backoff for transient failures
// (connect, timeout, reset), the longest rest for `unsupported`, none for replies that were wrong.

import type { FailureKind } from './types.ts';

/** Every failure kind, in the order stats list them. */
export const FAILURE_KINDS: readonly FailureKind[] = [
  'connect',
  'timeout',
  'reset',
  'protocol',
  'status',
  'unsupported',
  'internal',
];

/** Resolved backoff parameters, ms. */
export interface Backoff {
  readonly initialMs: number;
  readonly factor: number;
  readonly maxMs: number;
}

/**
 * Delay before the next poll after the `failures`-th consecutive failure (≥ 1), ms; null = keep the
 * cadence. Transient kinds: min(maxMs, initialMs × factor^(failures − 1)). `unsupported` (missing
 * library, unsupported call) rests maxMs: it rarely comes back by itself. Protocol, status and internal
 * failures keep the cadence: the source answered, and the next reply may be fine.
 */
export function backoffDelayMs(kind: FailureKind, failures: number, b: Backoff): number | null {
  if (kind === 'unsupported') return b.maxMs;
  if (kind !== 'connect' && kind !== 'timeout' && kind !== 'reset') return null;
  return Math.min(b.maxMs, b.initialMs * b.factor ** Math.max(0, failures - 1));
}
