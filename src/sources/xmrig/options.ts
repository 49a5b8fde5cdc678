// Options of the xmrig source (strict: unknown keys are errors). Times in ms, sizes in bytes; the
// access token only as an environment reference, so it never sits in the config file or the logs.

import { z } from 'zod';
import { httpPollOptionFields } from '../common/http-poll-options.ts';

/** Validated options of the xmrig source. */
export const XmrigOptionsSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .describe(
      'Base URL of the XMRig HTTP API (`http.host`/`http.port`), e.g. http://127.0.0.1:8080. Required.',
    ),
  token: z
    .strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) })
    .optional()
    .describe('`http.access-token` as `{ env: NAME }`; sent as `Authorization: Bearer`. Default: none.'),
  backends: z.boolean().default(true).describe('Also read /2/backends for per-GPU values. Default true.'),
  ...httpPollOptionFields(10000),
});

export type XmrigOptions = z.output<typeof XmrigOptionsSchema>;
export type XmrigOptionsInput = z.input<typeof XmrigOptionsSchema>;
