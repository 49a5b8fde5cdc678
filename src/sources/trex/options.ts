// Options of the trex source (strict: unknown keys are errors). Times in ms, sizes in bytes.

import { z } from 'zod';
import { httpPollOptionFields } from '../common/http-poll-options.ts';

/** Validated options of the trex source. */
export const TrexOptionsSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:4067')
    .describe('Base URL of the T-Rex HTTP API (`--api-bind-http`). Default http://127.0.0.1:4067.'),
  ...httpPollOptionFields(5000),
});

export type TrexOptions = z.output<typeof TrexOptionsSchema>;
export type TrexOptionsInput = z.input<typeof TrexOptionsSchema>;
