// Options of the stratum latency probe (strict: unknown keys are errors). Times in ms.

import { z } from 'zod';

const PoolSchema = z.strictObject({
  host: z.string().min(1).describe('Pool host name or IP address. Required.'),
  port: z.number().int().min(1).max(65535).describe('Pool stratum port. Required.'),
  tls: z.boolean().default(false).describe('Connect with TLS (`stratum+ssl`). Default false.'),
});

/** Validated options of the stratum source. */
export const StratumOptionsSchema = z.strictObject({
  pools: z.array(PoolSchema).min(1).describe('Pools to probe, each on its own connection. At least one.'),
  interval_ms: z
    .number()
    .int()
    .min(5000)
    .default(60000)
    .describe('Poll interval hint, ms; every poll opens one connection per pool. Default 60000.'),
  timeout_ms: z
    .number()
    .int()
    .min(10)
    .default(5000)
    .describe('Connect + reply timeout per pool, ms. Default 5000.'),
  tls_reject_unauthorized: z.boolean().default(true).describe('Verify pool TLS certificates. Default true.'),
  user_agent: z
    .string()
    .min(1)
    .max(64)
    .default('rigtune/0.1')
    .describe("The `mining.subscribe` parameter. Default 'rigtune/0.1'."),
});

export type StratumOptions = z.output<typeof StratumOptionsSchema>;
export type StratumOptionsInput = z.input<typeof StratumOptionsSchema>;
