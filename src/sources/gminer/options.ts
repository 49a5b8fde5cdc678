// Options of the gminer source, which also reads Rigel (strict: unknown keys are errors). Times in
// ms, sizes in bytes.

import { z } from 'zod';
import { httpPollOptionFields } from '../common/http-poll-options.ts';

/** Validated options of the gminer source. */
export const GminerOptionsSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .describe('Base URL of the miner API: GMiner `--api <port>`, Rigel `--api-bind`. Required.'),
  dialect: z
    .enum(['auto', 'gminer', 'rigel'])
    .default('auto')
    .describe('Which miner serves /stat; `auto` tells them apart by the reply. Default auto.'),
  ...httpPollOptionFields(5000),
});

export type GminerOptions = z.output<typeof GminerOptionsSchema>;
export type GminerOptionsInput = z.input<typeof GminerOptionsSchema>;
