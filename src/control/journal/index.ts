// Public face of control/journal: the write-ahead action journal (intended → applied → verified →
// validated | rolled_back, fsynced before each step), its replay after a crash, and its options.

import { ActionJournal } from './journal.ts';
import { type JournalOptionsInput, JournalOptionsSchema, parseJournalOptions } from './options.ts';

export {
  ACTION_PURPOSES,
  ACTION_STATUSES,
  type ActionPurpose,
  type ActionStatus,
  FAILURE_PHASES,
  type FailurePhase,
  type IntendedAction,
  type LastKnownGood,
  type MarkEvent,
} from './events.ts';
export {
  ActionJournal,
  type ActionJournalOptions,
  type ActionJournalStats,
  type JournalProblem,
  type JournalReplay,
} from './journal.ts';
export { type JournalOptions, type JournalOptionsInput, parseJournalOptions } from './options.ts';
export type { InFlightAction, JournalAction } from './state.ts';
export const optionsSchema = JournalOptionsSchema;

/** Validates `options` (RT_CONFIG_INVALID naming the option) and opens the journal (RT_OUTPUT_WRITE). */
export async function openJournal(options: JournalOptionsInput): Promise<ActionJournal> {
  const o = parseJournalOptions(options);
  return ActionJournal.open({ dir: o.dir, maxBytes: o.max_bytes, keepRecentMs: o.keep_recent_ms });
}
