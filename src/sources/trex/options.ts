// Options of the trex source (strict: unknown keys are errors). Times in ms, sizes in bytes.

import { z } from 'zod';

/** Validated options of the trex source. */
export const TrexOptionsSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:4067')
    .describe('Base URL of the T-Rex HTTP API (`--api-bind-http`). Default http://127.0.0.1:4067.'),
  interval_ms: z.number().int().min(1000).default(5000).describe('Poll interval hint, ms. Default 5000.'),
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

export type TrexOptions = z.output<typeof TrexOptionsSchema>;
export type TrexOptionsInput = z.input<typeof TrexOptionsSchema>;
