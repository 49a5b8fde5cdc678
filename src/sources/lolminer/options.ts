// Options of the lolminer source (strict: unknown keys are errors). Times in ms, sizes in bytes.

import { z } from 'zod';

/** Validated options of the lolminer source. */
export const LolminerOptionsSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .describe("Base URL of lolMiner's API (`--apiport`), e.g. http://127.0.0.1:4444. Required."),
  interval_ms: z.number().int().min(1000).default(10000).describe('Poll interval hint, ms. Default 10000.'),
  timeout_ms: z.number().int().min(10).default(3000).describe('Whole-request timeout, ms. Default 3000.'),
  connect_timeout_ms: z
    .number()
    .int()
    .min(10)
    .default(1000)
    .describe('TCP connect timeout, ms. Default 1000.'),
  max_body_bytes: z
    .number()
    .int()
    .min(1024)
    .default(1 << 20)
    .describe('Largest reply accepted, bytes. Default 1048576.'),
});

export type LolminerOptions = z.output<typeof LolminerOptionsSchema>;
export type LolminerOptionsInput = z.input<typeof LolminerOptionsSchema>;
