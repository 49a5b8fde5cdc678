// Options of the gminer source, which also reads Rigel (strict: unknown keys are errors). Times in
// ms, sizes in bytes.

import { z } from 'zod';

/** Validated options of the gminer source. */
export const GminerOptionsSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .describe('Base URL of the miner API: GMiner `--api <port>`, Rigel `--api-bind`. Required.'),
  dialect: z
    .enum(['auto', 'gminer', 'rigel'])
    .default('auto')
    .describe('Which miner serves /stat; `auto` tells them apart by the reply. Default auto.'),
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

export type GminerOptions = z.output<typeof GminerOptionsSchema>;
export type GminerOptionsInput = z.input<typeof GminerOptionsSchema>;
