// Public face of sinks/audit: the append-only NDJSON audit log of every score, rupture event, advice
// and action (rotated, fsynced on a bound) and the tolerant reader `readAuditLog`.

import { RigtuneError } from '../../core/errors.ts';
import { type AuditOptionsInput, AuditOptionsSchema } from './options.ts';
import { AuditSink, type AuditSinkDeps } from './sink.ts';

export const kind = 'audit';
export const optionsSchema = AuditOptionsSchema;
export type { AuditOptions, AuditOptionsInput } from './options.ts';
export {
  type AuditFileSummary,
  type AuditLog,
  type AuditTruncation,
  readAuditLog,
} from './read.ts';
export {
  AUDIT_FILE_PATTERN,
  AUDIT_RECORD_TYPES,
  type AuditControl,
  type AuditHeader,
  type AuditRecord,
} from './records.ts';
export { AuditSink, type AuditSinkDeps } from './sink.ts';

/** Validates `options` (RT_CONFIG_INVALID naming the option) and builds the sink; no file is opened before the first record. */
export function create(options: AuditOptionsInput, deps: AuditSinkDeps): AuditSink {
  const result = AuditOptionsSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.map(String).join('.');
    const field = path === '' ? kind : `${kind}.${path}`;
    throw new RigtuneError('RT_CONFIG_INVALID', `${field}: ${issue.message}`, { field });
  }
  return new AuditSink(result.data, deps);
}
