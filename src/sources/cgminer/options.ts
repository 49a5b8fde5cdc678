// Options of the cgminer source (strict: unknown keys are errors). Times in milliseconds; the port
// is cgminer's API port, not the miner's web UI.

import { z } from 'zod';

/** Validated options of the cgminer source. */
export const CgminerOptionsSchema = z.strictObject({
  host: z.string().min(1).describe('Miner address (IP or DNS name) whose cgminer API answers. Required.'),
  port: z.number().int().min(1).max(65535).default(4028).describe('cgminer API TCP port. Default 4028.'),
  dialect: z
    .enum(['auto', 'antminer', 'whatsminer', 'braiins', 'luxos', 'cgminer'])
    .default('auto')
    .describe(
      "Firmware family; 'auto' sniffs `version`/`summary`/`stats` on the first poll. Default 'auto'.",
    ),
  rig: z
    .string()
    .min(1)
    .optional()
    .describe('Rig name the snapshots carry. Default: the rig this source belongs to.'),
  timeout_ms: z
    .number()
    .int()
    .min(10)
    .default(3000)
    .describe('Limit per request (connect to last byte), ms. Default 3000.'),
  connect_timeout_ms: z
    .number()
    .int()
    .min(10)
    .optional()
    .describe('Limit for the TCP connect, ms. Default: timeout_ms.'),
  retries: z
    .number()
    .int()
    .min(0)
    .max(10)
    .default(2)
    .describe('Retries per request on connect/timeout/reset failures. Default 2.'),
  backoff_ms: z
    .number()
    .int()
    .min(1)
    .default(250)
    .describe('Backoff before the first retry, ms; doubled per retry, with jitter. Default 250.'),
  backoff_max_ms: z
    .number()
    .int()
    .min(1)
    .default(2000)
    .describe('Cap of the retry backoff, ms. Default 2000.'),
  interval_ms: z
    .number()
    .int()
    .min(1000)
    .default(10000)
    .describe('Poll interval hint, ms; miner APIs refresh every 5–10 s. Default 10000.'),
  multi_command: z
    .boolean()
    .default(true)
    .describe(
      'Join commands as `summary+stats` where the dialect supports it (falls back when refused). Default true.',
    ),
  json_framing: z
    .boolean()
    .default(true)
    .describe(
      'Send `{"command":…}` JSON requests; false sends `command|parameter` and reads cgminer\'s text replies. Default true.',
    ),
  pools: z
    .boolean()
    .default(false)
    .describe('Also read `pools` for the active pool and last-share age (raw fields). Default false.'),
  max_reply_bytes: z
    .number()
    .int()
    .min(1024)
    .default(4194304)
    .describe('Largest reply accepted, bytes. Default 4194304.'),
});

export type CgminerOptions = z.output<typeof CgminerOptionsSchema>;
export type CgminerOptionsInput = z.input<typeof CgminerOptionsSchema>;
