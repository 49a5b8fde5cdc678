// Options of the action journal (strict: unknown keys are errors): where it lives and how big it may grow
// before it is compacted. Sizes in bytes, times in ms.

import { z } from 'zod';
import { RigtuneError } from '../../core/errors.ts';

/** Validated options of the action journal. */
export const JournalOptionsSchema = z.strictObject({
  dir: z
    .string()
    .min(1)
    .default('./data/journal')
    .describe(
      'Directory of the journal file (actions.journal.ndjson); created if missing. Default ./data/journal.',
    ),
  max_bytes: z
    .number()
    .int()
    .min(4096)
    .default(1024 * 1024)
    .describe(
      'The file is compacted (rewritten atomically with only what is still needed) once it passes this size, bytes. Default 1048576 (1 MiB).',
    ),
  keep_recent_ms: z
    .number()
    .int()
    .min(0)
    .default(7_200_000)
    .describe(
      'Finished actions younger than this survive compaction, so rate limits and cooldowns hold across a restart, ms. Default 7200000 (2 h).',
    ),
});

export type JournalOptions = z.output<typeof JournalOptionsSchema>;
export type JournalOptionsInput = z.input<typeof JournalOptionsSchema>;

/** Validates `input`; throws RT_CONFIG_INVALID naming the first bad option (`journal.<path>`). */
export function parseJournalOptions(input: unknown): JournalOptions {
  const r = JournalOptionsSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = ['journal', ...path.map(String)].join('.');
  throw new RigtuneError('RT_CONFIG_INVALID', `${field}: ${issue.message}`, { field });
}
