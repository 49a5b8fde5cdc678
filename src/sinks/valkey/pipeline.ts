// Sends items as one pipeline (`multi()…execAsPipeline()`, one script call per item) under a reply
// timeout, and says what came back: per-item results, or why nothing can be trusted.

import { ErrorReply } from 'redis';
import type { ValkeyClient } from './connection.ts';
import type { Item } from './encode.ts';
import { type ApplyResult, parseApplyReply, wireCommandFor } from './script.ts';

export type PipelineOutcome =
  | { readonly kind: 'replies'; readonly results: readonly (ApplyResult | null)[] }
  /** Timed out: `pending` settles when the server finally answers (or the connection drops). */
  | { readonly kind: 'timeout'; readonly pending: Promise<unknown> }
  /** The connection failed, or the server refused a whole command (`reply` = its error text). */
  | { readonly kind: 'error'; readonly err: unknown; readonly reply: string | null };

/** Sends `items` in order; resolves (never rejects) within about `timeoutMs`. */
export async function sendPipeline(
  client: ValkeyClient,
  items: readonly Item[],
  timeoutMs: number,
): Promise<PipelineOutcome> {
  let pending: Promise<unknown[]>;
  try {
    const multi = client.multi();
    items.forEach((item, i) => {
      multi.addCommand(wireCommandFor(item, i === 0));
    });
    pending = multi.execAsPipeline() as Promise<unknown[]>;
  } catch (err) {
    return { kind: 'error', err, reply: null };
  }
  // A late rejection after a timeout is expected and handled by whoever awaits `pending` later.
  pending.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Immediate | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    // Timers run before the loop reads sockets: a reply that arrived while the loop was busy would
    // lose the race and send a healthy server's batches to the spool. One I/O poll goes first.
    timer = setTimeout(() => {
      poll = setImmediate(() => resolve('timeout'));
    }, timeoutMs);
  });
  try {
    const replies = await Promise.race([pending, timeout]);
    if (replies === 'timeout') return { kind: 'timeout', pending };
    return { kind: 'replies', results: replies.map(parseApplyReply) };
  } catch (err) {
    return { kind: 'error', err, reply: err instanceof ErrorReply ? err.message : null };
  } finally {
    clearTimeout(timer);
    clearImmediate(poll);
  }
}

/** Resolves true once `p` settles, false when `ms` pass first or `signal` aborts. */
export function settlesWithin(p: Promise<unknown>, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (settled: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(settled);
    };
    const onAbort = () => finish(false);
    const timer = setTimeout(() => finish(false), ms);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      () => finish(true),
      () => finish(true),
    );
  });
}
