// What a pipeline's outcome means for the sink: retry everything later (with the log code to report),
// or accept it, with the counts to add and the items the server refused for good. Pure.

import type { LogLevel } from './log-limit.ts';
import type { PipelineOutcome } from './pipeline.ts';
import { isTransientError } from './script.ts';

export type Verdict =
  | {
      readonly kind: 'retry';
      readonly code: string;
      readonly level: LogLevel;
      readonly msg: string;
      readonly err: unknown;
    }
  | {
      readonly kind: 'ok';
      readonly added: number;
      readonly duplicates: number;
      readonly valuesSet: number;
      /** Error texts of items refused for good (wrong key type, …), one per item. */
      readonly refused: readonly string[];
      /** Items answered with something that is not the script's reply. */
      readonly badReplies: number;
    };

/** Judges `outcome` of a pipeline sent with reply limit `timeoutMs`. */
export function judge(outcome: PipelineOutcome, timeoutMs: number): Verdict {
  if (outcome.kind === 'timeout') {
    const err = new Error(`no reply within ${timeoutMs} ms`);
    return { kind: 'retry', code: 'valkey_timeout', level: 'warn', msg: 'Valkey is slow; spooling.', err };
  }
  if (outcome.kind === 'error') {
    if (outcome.reply !== null && !isTransientError(outcome.reply))
      return {
        kind: 'retry',
        code: 'valkey_refused',
        level: 'error',
        msg: 'Valkey refused the write; retrying.',
        err: outcome.err,
      };
    const msg = 'Valkey write failed; spooling.';
    return { kind: 'retry', code: 'valkey_unavailable', level: 'warn', msg, err: outcome.err };
  }
  const busy = outcome.results.find((r) => r?.error != null && isTransientError(r.error));
  if (busy != null) {
    const msg = 'Valkey cannot take writes now; retrying.';
    return { kind: 'retry', code: 'valkey_busy', level: 'warn', msg, err: new Error(String(busy.error)) };
  }
  let added = 0;
  let duplicates = 0;
  let valuesSet = 0;
  let badReplies = 0;
  const refused: string[] = [];
  for (const r of outcome.results) {
    if (r === null) {
      badReplies += 1;
      continue;
    }
    added += r.added;
    duplicates += r.duplicates;
    if (r.set) valuesSet += 1;
    if (r.error !== null) refused.push(r.error);
  }
  return { kind: 'ok', added, duplicates, valuesSet, refused, badReplies };
}
