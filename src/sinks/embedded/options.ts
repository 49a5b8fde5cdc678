// Options of the embedded in-process store (strict: unknown keys are errors). It serves the latest state
// and pub/sub when no Valkey is configured; the only bound is how many control records it keeps.

import { z } from 'zod';

/** Validated options of the embedded store. */
export const EmbeddedOptionsSchema = z.strictObject({
  control_history: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(200)
    .describe('Advice and action records kept per rig (newest kept), records. Default 200.'),
});

export type EmbeddedOptions = z.output<typeof EmbeddedOptionsSchema>;
export type EmbeddedOptionsInput = z.input<typeof EmbeddedOptionsSchema>;
