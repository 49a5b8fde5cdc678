// Options of the lolminer source (strict: unknown keys are errors). Times in ms, sizes in bytes.

import { z } from 'zod';
import { httpPollOptionFields } from '../common/http-poll-options.ts';

/** Validated options of the lolminer source. */
export const LolminerOptionsSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .describe("Base URL of lolMiner's API (`--apiport`), e.g. http://127.0.0.1:4444. Required."),
  ...httpPollOptionFields(10000),
});

export type LolminerOptions = z.output<typeof LolminerOptionsSchema>;
export type LolminerOptionsInput = z.input<typeof LolminerOptionsSchema>;
