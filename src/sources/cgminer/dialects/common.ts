// Rules every cgminer-family dialect shares: the `summary` share counters (counts and difficulty
// sums) and the miner's own percentages, which are kept as raw fields only, never as snapshot fields.

import type { RawRule, Rule, SectionRef, TotalRule } from './types.ts';

export const SUMMARY: SectionRef = { command: 'summary', section: 'SUMMARY' };
export const STATS: SectionRef = { command: 'stats', section: 'STATS' };

/** GH/s → H/s */
export const GH = 1e9;
/** MH/s → H/s */
export const MH = 1e6;

/** A rig-total rule. */
export function total(
  ref: SectionRef,
  field: TotalRule['field'],
  keys: TotalRule['keys'],
  more: Partial<TotalRule> = {},
): TotalRule {
  return { kind: 'total', ...ref, field, keys, ...more };
}

/** One raw rule per field; each entry is the field's spellings (canonical first). */
export function raws(
  ref: SectionRef,
  fields: readonly (string | RawRule['keys'])[],
  more: Partial<RawRule> = {},
): RawRule[] {
  return fields.map((f) => ({ kind: 'raw', ...ref, keys: typeof f === 'string' ? [f] : f, ...more }));
}

/**
 * `summary` counters in every dialect: share counts and difficulty-weighted sums (for reject rates
 * with reset detection downstream) and `Hardware Errors`; percentages and uptime as raw fields.
 */
export const SUMMARY_COUNTERS: readonly Rule[] = [
  total(SUMMARY, 'accepted_shares', ['Accepted']),
  total(SUMMARY, 'rejected_shares', ['Rejected']),
  total(SUMMARY, 'stale_shares', ['Stale']),
  total(SUMMARY, 'diff_accepted', ['Difficulty Accepted']),
  total(SUMMARY, 'diff_rejected', ['Difficulty Rejected']),
  total(SUMMARY, 'diff_stale', ['Difficulty Stale']),
  total(SUMMARY, 'hw_errors', ['Hardware Errors']),
  ...raws(SUMMARY, ['Pool Rejected%', 'Pool Stale%', 'Device Rejected%', 'Device Hardware%', 'Elapsed']),
];
