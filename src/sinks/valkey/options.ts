// Options of the Valkey sink (strict: unknown keys are errors). Times in milliseconds, sizes in bytes;
// the URL may come from the environment (`url_env`) so the password stays out of the file.

import { z } from 'zod';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Validated options of the Valkey sink. One of `url` / `url_env` is needed (`url` wins when both are set). */
export const ValkeyOptionsSchema = z.strictObject({
  url: z
    .string()
    .regex(/^(redis|rediss|valkey|valkeys):\/\/\S+$/, 'expected a redis:// or rediss:// URL')
    .optional()
    .describe(
      'Server URL, redis://[user:password@]host:port[/db] (rediss:// for TLS). One of url or url_env.',
    ),
  url_env: z
    .string()
    .regex(ENV_NAME, 'expected an environment variable name')
    .nullable()
    .optional()
    .describe('Name of the environment variable holding the URL, read when url is absent.'),
  key_prefix: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'expected letters, digits, _ . -')
    .default('telemetry')
    .describe("Prefix of every key and channel ({prefix}:last:{rig}, …). Default 'telemetry'."),
  stream_max_len: z
    .number()
    .int()
    .min(100)
    .default(20_000)
    .describe(
      'Approximate length bound of each stream (XADD MAXLEN ~), entries: one per device snapshot, so an 8-GPU rig at 1 Hz keeps about 40 min (≈ 15 MB). Default 20000.',
    ),
  spool_dir: z
    .string()
    .min(1)
    .default('./data/spool/valkey')
    .describe('Where results wait, in order, while Valkey is down or slow. Default ./data/spool/valkey.'),
  spool_max_bytes: z
    .number()
    .int()
    .min(1 << 20)
    .default(1 << 30)
    .describe(
      'Disk bound of the spool, bytes; beyond it the oldest spool segments are dropped and counted. Default 1073741824.',
    ),
  spool_segment_bytes: z
    .number()
    .int()
    .min(4096)
    .default(8 << 20)
    .describe('Size at which a spool segment file is closed, bytes. Default 8388608.'),
  spool_fsync_interval_ms: z
    .number()
    .int()
    .min(0)
    .default(1000)
    .describe('Longest time a spooled batch waits for fsync, ms; 0 = fsync every write. Default 1000.'),
  spool_fsync_max_records: z
    .number()
    .int()
    .min(1)
    .default(1000)
    .describe('Most spooled batches written between two fsyncs. Default 1000.'),
  queue_max_bytes: z
    .number()
    .int()
    .min(1024)
    .default(32 << 20)
    .describe(
      'In-memory queue bound, bytes of encoded batches; beyond it the queue spills to the spool. Default 33554432.',
    ),
  pipeline_max_batches: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(256)
    .describe('Most batches sent in one pipeline. Default 256.'),
  connect_timeout_ms: z.number().int().min(10).default(2000).describe('Connect timeout, ms. Default 2000.'),
  command_timeout_ms: z
    .number()
    .int()
    .min(10)
    .default(2000)
    .describe('Limit for one pipeline reply; past it the batches are spooled and retried, ms. Default 2000.'),
  reconnect_max_ms: z
    .number()
    .int()
    .min(10)
    .default(5000)
    .describe('Cap of the reconnect and retry backoff (doubling from 50 ms), ms. Default 5000.'),
  close_timeout_ms: z
    .number()
    .int()
    .min(0)
    .default(5000)
    .describe(
      'How long close() keeps writing queued and spooled batches while connected, ms; the rest stays spooled. Default 5000.',
    ),
});

export type ValkeyOptions = z.output<typeof ValkeyOptionsSchema>;
export type ValkeyOptionsInput = z.input<typeof ValkeyOptionsSchema>;
