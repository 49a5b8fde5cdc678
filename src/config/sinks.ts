// The `sinks:` section: Valkey (optional; without it the embedded store serves the same interface),
// Prometheus, Parquet history (the parquet sink's own options) and the NDJSON audit log.

import { z } from 'zod';
import { ParquetOptionsSchema } from '../sinks/parquet/options.ts';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Valkey/Redis sink options; give the URL as `url` or through the variable named by `url_env`. */
export const ValkeyOptionsSchema = z
  .strictObject({
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
      .optional()
      .describe('Name of the environment variable holding the URL (keeps the password out of the file).'),
    key_prefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'expected letters, digits, _ . -')
      .default('telemetry')
      .describe("Prefix of every key and channel (telemetry:last:{rig}, …). Default 'telemetry'."),
    stream_max_len: z
      .number()
      .int()
      .min(1000)
      .default(100_000)
      .describe('Approximate length bound of each snapshot stream (XADD MAXLEN ~), entries. Default 100000.'),
    connect_timeout_ms: z.number().int().min(10).default(2000).describe('Connect timeout, ms. Default 2000.'),
    spool_dir: z
      .string()
      .min(1)
      .optional()
      .describe('Where results wait, in order, while Valkey is down. Default <data_dir>/spool/valkey.'),
    spool_max_bytes: z
      .number()
      .int()
      .min(1 << 20)
      .default(1 << 30)
      .describe(
        'Disk bound of the spool, bytes; beyond it the oldest spooled ticks are dropped and counted. Default 1073741824.',
      ),
  })
  .superRefine((o, ctx) => {
    if ((o.url === undefined) === (o.url_env === undefined))
      ctx.addIssue({ code: 'custom', path: [], message: 'expected exactly one of url or url_env' });
  });

/** Prometheus `/metrics` on the HTTP API. */
export const PrometheusOptionsSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Serve /metrics on the HTTP API. Default true.'),
});

/** Parquet history: the parquet sink's options plus `enabled`. */
export const ParquetSinkOptionsSchema = ParquetOptionsSchema.extend({
  enabled: z.boolean().default(true).describe('Write the Parquet history. Default true.'),
  data_dir: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Directory holding the datasets (snapshots/, scores/, events/). Default: the top-level data_dir.',
    ),
});

/** The append-only NDJSON audit log of every score, advice and action. */
export const AuditOptionsSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Write the audit log. Default true.'),
  dir: z.string().min(1).optional().describe('Directory of the log files. Default <data_dir>/audit.'),
  max_file_bytes: z
    .number()
    .int()
    .min(1 << 16)
    .default(64 * 1024 * 1024)
    .describe('A file is rotated once it reaches this size, bytes. Default 67108864 (64 MiB).'),
  max_file_age_ms: z
    .number()
    .int()
    .min(1000)
    .default(86_400_000)
    .describe('A file is rotated once it is this old, ms. Default 86400000 (1 day).'),
  retention_days: z
    .number()
    .positive()
    .nullable()
    .default(90)
    .describe('Rotated files older than this many days are deleted; null keeps all. Default 90.'),
  fsync_interval_ms: z
    .number()
    .int()
    .min(0)
    .default(1000)
    .describe('Longest time an appended record waits for fsync, ms; 0 = fsync every record. Default 1000.'),
  fsync_max_records: z
    .number()
    .int()
    .min(1)
    .default(1000)
    .describe('Most records appended between two fsyncs. Default 1000.'),
});

/** The `sinks:` section. */
export const SinksSchema = z.strictObject({
  valkey: ValkeyOptionsSchema.optional().describe(
    'Valkey/Redis sink; when absent the embedded in-process store is used.',
  ),
  prometheus: PrometheusOptionsSchema.prefault({}).describe('Prometheus metrics.'),
  parquet: ParquetSinkOptionsSchema.prefault({}).describe('Parquet history files.'),
  audit: AuditOptionsSchema.prefault({}).describe('NDJSON audit log.'),
});

export type ValkeyOptions = z.output<typeof ValkeyOptionsSchema>;
export type PrometheusOptions = z.output<typeof PrometheusOptionsSchema>;
export type ParquetSinkOptions = z.output<typeof ParquetSinkOptionsSchema>;
export type AuditOptions = z.output<typeof AuditOptionsSchema>;
