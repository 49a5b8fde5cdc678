// Options of the partitioned stream writer that `rigtune collect` appends with (strict: unknown keys
// are errors). Times in milliseconds, sizes in bytes.

import { z } from 'zod';

/** Collector ids and worker ids: they appear in Valkey hashes, consumer names and logs. */
export const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const StreamWriterOptionsSchema = z.strictObject({
  collector_id: z
    .string()
    .regex(NODE_ID, 'expected 1..64 of A-Z a-z 0-9 . _ - (starting with a letter or digit)')
    .describe('Unique id of this collector (its sequence numbers are kept per id). Required.'),
  partitions: z
    .number()
    .int()
    .min(1)
    .max(16_384)
    .default(16)
    .describe('Number of partition streams; every collector and worker must use the same. Default 16.'),
  key_prefix: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'expected letters, digits, _ . -')
    .default('telemetry')
    .describe("Prefix of the data keys ({prefix}:snapshots:{p}). Default 'telemetry'."),
  namespace: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'expected letters, digits, _ . -')
    .default('rigtune')
    .describe("Prefix of the coordination keys (leases, sequences, rig settings). Default 'rigtune'."),
  stream_max_len: z
    .number()
    .int()
    .min(100)
    .default(100_000)
    .describe('Approximate length bound of each partition stream (XADD MAXLEN ~), entries. Default 100000.'),
  spool_dir: z
    .string()
    .min(1)
    .default('./data/spool/collect')
    .describe('Where entries wait, in order, while Valkey is unreachable. Default ./data/spool/collect.'),
  spool_max_bytes: z
    .number()
    .int()
    .min(1 << 20)
    .default(1 << 30)
    .describe(
      'Disk bound of the spool, bytes; beyond it the oldest segments are dropped and counted. Default 1073741824.',
    ),
  spool_fsync_interval_ms: z
    .number()
    .int()
    .min(0)
    .default(1000)
    .describe('Longest time a spooled entry waits for fsync, ms; 0 = every write. Default 1000.'),
  send_max_entries: z
    .number()
    .int()
    .min(1)
    .default(2000)
    .describe('Most entries in one send (one script call per partition, pipelined). Default 2000.'),
  queue_max_entries: z
    .number()
    .int()
    .min(1)
    .default(100_000)
    .describe('In-memory queue bound, entries; beyond it the queue spills to the spool. Default 100000.'),
  command_timeout_ms: z
    .number()
    .int()
    .min(10)
    .default(2000)
    .describe(
      'Limit for the replies of one send; past it the entries are spooled and resent, ms. Default 2000.',
    ),
  retry_max_ms: z
    .number()
    .int()
    .min(10)
    .default(5000)
    .describe('Cap of the retry backoff (doubling from 50 ms), ms. Default 5000.'),
  close_timeout_ms: z
    .number()
    .int()
    .min(0)
    .default(5000)
    .describe('How long close() keeps sending while connected, ms; the rest stays spooled. Default 5000.'),
});

export type StreamWriterOptions = z.output<typeof StreamWriterOptionsSchema>;
export type StreamWriterOptionsInput = z.input<typeof StreamWriterOptionsSchema>;
