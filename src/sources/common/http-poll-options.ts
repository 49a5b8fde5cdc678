// The option fields every GPU-miner HTTP source shares (cadence hint, timeouts, reply size), defined
// once so the four miner sources cannot drift apart. Imports only zod, like every options.ts.

import { z } from 'zod';

/**
 * `interval_ms`, `timeout_ms`, `connect_timeout_ms`, `max_body_bytes` with their defaults; spread into
 * a source's `z.strictObject({...})`. `intervalDefaultMs` is how often the miner refreshes its API.
 */
export function httpPollOptionFields(intervalDefaultMs: number) {
  return {
    interval_ms: z
      .number()
      .int()
      .min(1000)
      .default(intervalDefaultMs)
      .describe(`Poll interval hint, ms. Default ${intervalDefaultMs}.`),
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
  };
}
