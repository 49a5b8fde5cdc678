// The lines of the audit log: a header opening each file, then scores (`tick`), rupture events
// (`event`), advice and actions, each one JSON object with a `type` field, exactly as published.

import { takeJson } from '../../core/json-memo.ts';
import type { RuptureEvent, ScoreTick } from '../../core/scores.ts';
import { type ControlRecord, SCHEMA_VERSION } from '../../core/sink.ts';

/** First line of every audit file: what the file is and which shape version its records have. */
export interface AuditHeader {
  readonly type: 'header';
  readonly log: 'rigtune-audit';
  readonly schema: typeof SCHEMA_VERSION;
  /** Time of the file's first record, epoch ms. */
  readonly first_ms: number;
}

/** An advice or action record as logged: the control record with `type` = its kind. */
export interface AuditControl {
  readonly type: 'advice' | 'action';
  readonly ts: number;
  readonly rig: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** One record line (headers excluded): a score tick, a rupture event, an advice or an action. */
export type AuditRecord = ScoreTick | RuptureEvent | AuditControl;

/** Record types a reader accepts; anything else is a newer or foreign line. */
export const AUDIT_RECORD_TYPES = ['tick', 'event', 'advice', 'action'] as const;

/** File name prefix and extension of the log's files. */
export const AUDIT_FILE_PATTERN = { prefix: 'audit', extension: '.ndjson' } as const;

export function headerLine(firstMs: number): string {
  const header: AuditHeader = {
    type: 'header',
    log: 'rigtune-audit',
    schema: SCHEMA_VERSION,
    first_ms: firstMs,
  };
  return JSON.stringify(header);
}

export function controlRecord(record: ControlRecord): AuditControl {
  return { type: record.kind, ts: record.ts, rig: record.rig, payload: record.payload };
}

/** One line; JSON never holds a raw newline, and non-finite numbers become null (JSON's rule). */
export function encodeRecord(record: AuditRecord): string {
  // Score ticks and events are shared, immutable objects: their text is encoded once for all sinks
  // (Valkey's write comes first); the log is its last reader, so the cached text is released here.
  return takeJson(record);
}
