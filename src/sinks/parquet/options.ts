// Options of the Parquet history sink (strict: unknown keys are errors). Sizes in rows or bytes,
// times in milliseconds or days; every bound has a default that suits a fleet of 10,000 devices.

import { z } from 'zod';

/** Validated options of the Parquet history sink. */
export const ParquetOptionsSchema = z.strictObject({
  data_dir: z
    .string()
    .min(1)
    .default('./data')
    .describe(
      'Directory holding the datasets (snapshots/, scores/, events/). Created if missing. Default ./data.',
    ),
  max_file_rows: z
    .number()
    .int()
    .min(1)
    .default(250_000)
    .describe('Rows buffered per dataset before a file is closed. Default 250000.'),
  max_buffer_bytes: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024)
    .describe('Estimated in-memory bytes per dataset before a file is closed. Default 67108864 (64 MiB).'),
  max_file_age_ms: z
    .number()
    .int()
    .min(100)
    .default(300_000)
    .describe('Oldest buffered row age (by the service clock) before a file is closed, ms. Default 300000.'),
  row_group_rows: z
    .number()
    .int()
    .min(100)
    .default(10_000)
    .describe(
      'Rows per Parquet row group; smaller groups skip better and encode in shorter slices. Default 10000.',
    ),
  compression: z
    .enum(['snappy', 'uncompressed'])
    .default('snappy')
    .describe("Page compression codec, 'snappy' or 'uncompressed'. Default 'snappy'."),
  retention_days: z
    .number()
    .positive()
    .nullable()
    .default(30)
    .describe('Date partitions wholly older than this many days are deleted; null keeps all. Default 30.'),
  max_total_bytes: z
    .number()
    .int()
    .positive()
    .nullable()
    .default(null)
    .describe(
      'Oldest files are deleted while all datasets together exceed this many bytes; null = no bound. Default null.',
    ),
  events: z
    .boolean()
    .default(true)
    .describe('Also write rupture events to the events dataset. Default true.'),
  max_pending_rows: z
    .number()
    .int()
    .min(1)
    .default(2_000_000)
    .describe(
      'Rows held in memory while files cannot be written (disk full); beyond it the oldest closed buffer is dropped and counted. Default 2000000.',
    ),
});

export type ParquetOptions = z.output<typeof ParquetOptionsSchema>;
export type ParquetOptionsInput = z.input<typeof ParquetOptionsSchema>;
