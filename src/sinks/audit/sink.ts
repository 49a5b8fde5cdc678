// The audit sink: every score, rupture event, advice and action of every tick appended to the NDJSON
// log. write() only queues (objects, encoded in the background); the disk side is durable/AppendFile.

import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import type { RigtuneError } from '../../core/errors.ts';
import type { ControlRecord, RigTickBatch, Sink, SinkHealth } from '../../core/sink.ts';
import { AppendFile, type AppendFileStats, type AppendOutcome } from '../../durable/index.ts';
import type { AuditOptions } from './options.ts';
import { AUDIT_FILE_PATTERN, type AuditRecord, controlRecord, encodeRecord, headerLine } from './records.ts';

/** What the sink needs from the runtime. */
export interface AuditSinkDeps {
  /** Record times (file names, rotation) and the fsync timer. */
  readonly clock: Clock;
  /** A child logger bound to `component: 'sink.audit'`; failures are logged at most once a minute each. */
  readonly logger: Pick<Logger, 'warn' | 'error'>;
}

const LOG_REPEAT_MS = 60_000;
const DAY_MS = 86_400_000;

interface Repeat {
  atMs: number;
  suppressed: number;
}

/** The sink; see README.md for the file layout, the record shapes and the guarantees. */
export class AuditSink implements Sink {
  readonly name = 'audit';
  readonly dir: string;
  readonly #log: AppendFile<AuditRecord>;
  readonly #clock: Clock;
  readonly #logger: AuditSinkDeps['logger'];
  readonly #repeats = new Map<string, Repeat>();

  constructor(options: AuditOptions, deps: AuditSinkDeps) {
    this.dir = options.dir;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#log = new AppendFile<AuditRecord>({
      dir: options.dir,
      pattern: AUDIT_FILE_PATTERN,
      encode: encodeRecord,
      header: headerLine,
      maxFileBytes: options.max_file_bytes,
      maxFileAgeMs: options.max_file_age_ms,
      rotateAtUtcMidnight: options.rotate_at_utc_midnight,
      fsyncIntervalMs: options.fsync_interval_ms,
      fsyncMaxBytes: options.fsync_max_bytes,
      fsyncMaxRecords: options.fsync_max_records,
      maxQueuedRecords: options.max_queued_records,
      retention: {
        maxFiles: options.retention_files,
        maxAgeMs: options.retention_days === null ? null : options.retention_days * DAY_MS,
      },
      clock: deps.clock,
      onError: (err) => this.#onError(err),
    });
  }

  /** Queues the tick's scores, then its events; never blocks, never throws. */
  write(batch: RigTickBatch): void {
    for (const score of batch.scores) this.#append(score);
    for (const event of batch.events) this.#append(event);
  }

  /** Queues an advice or action record as a line of type `advice` / `action`. */
  writeControl(record: ControlRecord): void {
    this.#append(controlRecord(record));
  }

  /** Resolves once every record accepted so far is fsynced, or dropped and counted; never rejects. */
  flush(): Promise<void> {
    return this.#log.flush();
  }

  /** Flushes and closes the current file; later writes are dropped and counted. Idempotent. */
  close(): Promise<void> {
    return this.#log.close();
  }

  /** `queued` counts records (not batches); `dropped` = records lost to the disk plus records refused. */
  health(): SinkHealth {
    const s = this.#log.stats();
    return { ok: s.ok, queued: s.queued, spooled: 0, dropped: s.dropped + s.refused, lastError: s.lastError };
  }

  /** The log's own counters (written, synced, files, current file). */
  stats(): AppendFileStats {
    return this.#log.stats();
  }

  #append(record: AuditRecord): void {
    const outcome: AppendOutcome = this.#log.append(record);
    if (outcome.accepted) return;
    const msg =
      outcome.reason === 'closed'
        ? 'Audit record after close dropped.'
        : 'Audit log queue full, record dropped.';
    this.#warn(outcome.reason, msg, { rig: record.rig, type: record.type });
  }

  #onError(err: RigtuneError): void {
    this.#warn('write_failed', 'Audit log write failed.', { code: err.code, err });
  }

  /** Logs the first of each kind per minute, then one line with how many were suppressed. */
  #warn(kind: string, msg: string, fields: Record<string, unknown>): void {
    const now = this.#clock.nowMs();
    const r = this.#repeats.get(kind);
    if (r !== undefined && now - r.atMs < LOG_REPEAT_MS) {
      r.suppressed++;
      return;
    }
    const suppressed = r?.suppressed ?? 0;
    this.#repeats.set(kind, { atMs: now, suppressed: 0 });
    this.#logger.warn({ ...fields, ...(suppressed > 0 ? { suppressed } : {}) }, msg);
  }
}
