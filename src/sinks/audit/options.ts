// Options of the NDJSON audit log (strict: unknown keys are errors). Sizes in bytes, times in ms or
// days; the defaults keep a 10,000-device fleet's log bounded, fsynced within a second.

import { z } from 'zod';

/** Validated options of the audit sink. */
export const AuditOptionsSchema = z.strictObject({
  dir: z
    .string()
    .min(1)
    .default('./data/audit')
    .describe('Directory of the log files; created if missing. Default ./data/audit.'),
  max_file_bytes: z
    .number()
    .int()
    .min(1 << 16)
    .default(64 * 1024 * 1024)
    .describe(
      'A file is rotated before the record that would take it past this size, bytes. Default 67108864 (64 MiB).',
    ),
  max_file_age_ms: z
    .number()
    .int()
    .min(1000)
    .nullable()
    .default(86_400_000)
    .describe(
      'A file is rotated before a record this long after its first one, ms; null = no age bound. Default 86400000.',
    ),
  rotate_at_utc_midnight: z
    .boolean()
    .default(true)
    .describe('Start a new file with the first record of each UTC day. Default true.'),
  retention_days: z
    .number()
    .positive()
    .nullable()
    .default(90)
    .describe('Files last written more than this many days ago are deleted; null keeps all. Default 90.'),
  retention_files: z
    .number()
    .int()
    .min(1)
    .nullable()
    .default(null)
    .describe(
      'Most files kept (the oldest go first, the current one counts); null = no bound. Default null.',
    ),
  fsync_interval_ms: z
    .number()
    .int()
    .min(0)
    .default(1000)
    .describe(
      'Longest time a written record waits for fsync, ms; 0 = fsync after every write. Default 1000.',
    ),
  fsync_max_bytes: z
    .number()
    .int()
    .min(4096)
    .nullable()
    .default(1024 * 1024)
    .describe('Fsync once this many bytes are unsynced; null = no byte bound. Default 1048576 (1 MiB).'),
  fsync_max_records: z
    .number()
    .int()
    .min(1)
    .nullable()
    .default(1000)
    .describe('Fsync once this many records are unsynced; null = no record bound. Default 1000.'),
  max_queued_records: z
    .number()
    .int()
    .min(1000)
    .default(200_000)
    .describe(
      'Records waiting for the disk; beyond it new records are dropped and counted (a stuck disk). Default 200000.',
    ),
});

export type AuditOptions = z.output<typeof AuditOptionsSchema>;
export type AuditOptionsInput = z.input<typeof AuditOptionsSchema>;
