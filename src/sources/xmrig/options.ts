// Options of the xmrig source (strict: unknown keys are errors). Times in ms, sizes in bytes; the
// access token only as an environment reference, so it never sits in the config file or the logs.

import { z } from 'zod';

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

export type XmrigOptions = z.output<typeof XmrigOptionsSchema>;
export type XmrigOptionsInput = z.input<typeof XmrigOptionsSchema>;
