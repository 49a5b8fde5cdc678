// The `sinks:` section: Valkey (optional; without it the embedded store serves the same interface),
// Prometheus, Parquet history (the parquet sink's own options) and the NDJSON audit log.

import { z } from 'zod';
import { AuditOptionsSchema as AuditSinkOptionsSchema } from '../sinks/audit/options.ts';
import { ParquetOptionsSchema } from '../sinks/parquet/options.ts';
import { PrometheusOptionsSchema as PrometheusSinkOptionsSchema } from '../sinks/prometheus/options.ts';
import { ValkeyOptionsSchema as ValkeySinkOptionsSchema } from '../sinks/valkey/options.ts';

/** Valkey/Redis sink: the valkey sink's options; the spool defaults under data_dir; url or url_env. */
export const ValkeyOptionsSchema = ValkeySinkOptionsSchema.extend({
  spool_dir: z
    .string()
    .min(1)
    .optional()
    .describe('Where results wait, in order, while Valkey is down. Default <data_dir>/spool/valkey.'),
}).superRefine((o, ctx) => {
  if ((o.url === undefined) === (o.url_env == null))
    ctx.addIssue({ code: 'custom', path: [], message: 'expected exactly one of url or url_env' });
});

/** Prometheus `/metrics` on the HTTP API: the prometheus sink's options plus `enabled`. */
export const PrometheusOptionsSchema = PrometheusSinkOptionsSchema.extend({
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

/** The append-only NDJSON audit log: the audit sink's options plus `enabled`; dir defaults under data_dir. */
export const AuditOptionsSchema = AuditSinkOptionsSchema.extend({
  enabled: z.boolean().default(true).describe('Write the audit log. Default true.'),
  dir: z.string().min(1).optional().describe('Directory of the log files. Default <data_dir>/audit.'),
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
