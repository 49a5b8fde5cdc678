// An append-only, rotated, line-framed log: append() only queues (never blocks); a background loop
// encodes, writes whole lines, fsyncs within a time/byte/record bound, rotates by size/age/UTC day.

import type { Clock } from '../core/clock.ts';
import { RigtuneError } from '../core/errors.ts';
import { checkLogFilePattern, type LogFilePattern, type LogRetention, utcDayStartMs } from './log-files.ts';
import { RollingFile } from './rolling-file.ts';

/** Options of `AppendFile`; sizes in bytes, times in ms, null = no bound of that kind. */
export interface AppendFileOptions<T> {
  readonly dir: string;
  readonly pattern: LogFilePattern;
  /** One record → one line, without the newline; a result holding '\n' is refused (counted). */
  readonly encode: (record: T) => string;
  /** First line of every new file (e.g. a schema header), given the file's first record time. */
  readonly header?: (firstMs: number) => string;
  /** A file holding records is rotated before a record that would take it past this size. */
  readonly maxFileBytes: number | null;
  /** A file is rotated before a record appended this long after its first record. */
  readonly maxFileAgeMs: number | null;
  /** Rotate before the first record of a new UTC day, so each file holds one day. */
  readonly rotateAtUtcMidnight: boolean;
  /** Longest time a written record waits for fsync; 0 = fsync after every write. */
  readonly fsyncIntervalMs: number;
  /** Fsync once this many bytes are unsynced. */
  readonly fsyncMaxBytes: number | null;
  /** Fsync once this many records are unsynced. */
  readonly fsyncMaxRecords: number | null;
  /** Records queued and not yet written; beyond it `append` refuses (the disk is stuck). */
  readonly maxQueuedRecords: number;
  readonly retention: LogRetention;
  /** Record times (rotation, names) and the fsync timer. */
  readonly clock: Clock;
  /** Receives every disk failure (RT_OUTPUT_WRITE); the log goes on with the next record. */
  readonly onError?: (err: RigtuneError) => void;
}

/** What `append` did: queued, or refused and why (the refusal is counted in `refused`). */
export type AppendOutcome =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly reason: 'closed' | 'queue_full' };

/** Counters since open; records move queued → written → synced, or are dropped or refused. */
export interface AppendFileStats {
  readonly queued: number;
  readonly written: number;
  readonly synced: number;
  /** Records lost to a failed encode, write, open or fsync (fsync: written but unconfirmed). */
  readonly dropped: number;
  /** Appends refused (queue full or closed). */
  readonly refused: number;
  /** Files opened. */
  readonly files: number;
  readonly currentPath: string | null;
  readonly lastError: string | null;
  /** False after a failure until a write and fsync succeed again. */
  readonly ok: boolean;
}

interface Waiter {
  readonly seq: number;
  readonly resolve: () => void;
}

const ACCEPTED: AppendOutcome = { accepted: true };
const CLOSED: AppendOutcome = { accepted: false, reason: 'closed' };
const FULL: AppendOutcome = { accepted: false, reason: 'queue_full' };
/** Bytes collected before one write call: big enough to amortise, small enough to yield often. */
const CHUNK_BYTES = 1 << 20;

function reasonOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err) return String(err.code);
  return err instanceof Error ? err.message : String(err);
}

/** The append-only log; see the module header and src/durable/README.md. */
export class AppendFile<T> {
  readonly #o: AppendFileOptions<T>;
  readonly #file: RollingFile;
  #recs: T[] = [];
  #times: number[] = [];
  #running: Promise<void> | null = null;
  #syncWanted = false;
  #timer: AbortController | null = null;
  #acceptedSeq = 0;
  #processedSeq = 0;
  #settledSeq = 0;
  #waiters: Waiter[] = [];
  #idleWaiters: Array<() => void> = [];
  #closing: Promise<void> | null = null;
  #dropped = 0;
  #refused = 0;
  #lastError: string | null = null;
  #failedSinceSync = false;

  /** Validates the pattern (RT_CONFIG_INVALID); nothing touches the disk before the first record. */
  constructor(options: AppendFileOptions<T>) {
    checkLogFilePattern(options.pattern);
    this.#o = options;
    this.#file = new RollingFile({
      dir: options.dir,
      pattern: options.pattern,
      header: options.header,
      retention: options.retention,
      clock: options.clock,
      onFail: (what, err) => this.#fail(what, err),
    });
  }

  /** Queues one record stamped with the clock's time; never blocks, never throws. */
  append(record: T): AppendOutcome {
    if (this.#closing !== null) return this.#refuse(CLOSED);
    if (this.#recs.length >= this.#o.maxQueuedRecords) return this.#refuse(FULL);
    this.#recs.push(record);
    this.#times.push(this.#o.clock.nowMs());
    this.#acceptedSeq++;
    this.#kick();
    return ACCEPTED;
  }

  /** Resolves once every record appended before the call is written and fsynced, or dropped (counted). */
  flush(): Promise<void> {
    if (this.#settledSeq >= this.#acceptedSeq) return Promise.resolve();
    const seq = this.#acceptedSeq;
    const done = new Promise<void>((resolve) => this.#waiters.push({ seq, resolve }));
    this.#syncWanted = true;
    this.#kick();
    return done;
  }

  /** Resolves when the background loop has nothing to do (written data may still await its fsync). */
  idle(): Promise<void> {
    if (this.#running === null) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Refuses further appends, flushes, closes the file. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.flush();
      await this.idle();
      this.#timer?.abort();
      this.#timer = null;
      await this.#file.close();
    })();
    return this.#closing;
  }

  stats(): AppendFileStats {
    const f = this.#file;
    return {
      queued: this.#recs.length,
      written: f.written,
      synced: f.synced,
      dropped: this.#dropped + f.lost,
      refused: this.#refused,
      files: f.files,
      currentPath: f.path,
      lastError: this.#lastError,
      ok: !this.#failedSinceSync,
    };
  }

  #refuse(outcome: AppendOutcome): AppendOutcome {
    this.#refused++;
    return outcome;
  }

  #kick(): void {
    if (this.#running !== null) return;
    // Starting on the next turn batches everything appended in this one (a tick's rigs) into one write.
    this.#running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#loop())
      .catch((err: unknown) => this.#fail(`unexpected failure of the log in ${this.#o.dir}`, err))
      .finally(() => {
        this.#running = null;
        // Records queued by a waiter's callback start a new loop.
        if (this.#recs.length > 0 || this.#syncWanted) this.#kick();
        else for (const w of this.#idleWaiters.splice(0)) w();
      });
  }

  async #loop(): Promise<void> {
    while (this.#recs.length > 0 || this.#syncWanted) {
      if (this.#recs.length > 0) {
        const recs = this.#recs;
        const times = this.#times;
        this.#recs = [];
        this.#times = [];
        await this.#process(recs, times);
      }
      if (this.#syncWanted || this.#waiters.length > 0 || this.#fsyncDue()) await this.#sync();
      else this.#armTimer();
      this.#settle();
    }
  }

  async #process(recs: readonly T[], times: readonly number[]): Promise<void> {
    const file = this.#file;
    let parts: string[] = [];
    let partBytes = 0;
    const writePart = async (): Promise<void> => {
      if (parts.length === 0) return;
      const count = parts.length;
      const text = parts.join('');
      parts = [];
      partBytes = 0;
      const ok = await file.write(text, count);
      this.#processedSeq += count;
      if (!ok) this.#dropped += count;
      else if (this.#fsyncDue()) await this.#sync();
    };
    for (let i = 0; i < recs.length; i++) {
      let line: string;
      try {
        line = this.#o.encode(recs[i]);
        if (line.includes('\n')) throw new Error('encoded record holds a newline');
      } catch (err) {
        this.#drop(1);
        this.#fail(`cannot encode a record for ${this.#o.dir}`, err);
        continue;
      }
      line += '\n';
      const bytes = Buffer.byteLength(line);
      const ms = times[i];
      if (file.isOpen && this.#mustRotate(ms, bytes)) {
        await writePart();
        await file.close();
      }
      if (!file.isOpen) {
        await writePart();
        if (!(await file.open(ms))) {
          // The disk refuses new files: the rest of this batch is dropped (counted), the next retries.
          this.#drop(recs.length - i);
          return;
        }
      }
      parts.push(line);
      partBytes += bytes;
      file.reserve(bytes);
      if (partBytes >= CHUNK_BYTES) await writePart();
    }
    await writePart();
  }

  #mustRotate(ms: number, bytes: number): boolean {
    const f = this.#file;
    if (f.records === 0) return false;
    const o = this.#o;
    if (o.maxFileBytes !== null && f.bytes + bytes > o.maxFileBytes) return true;
    if (o.maxFileAgeMs !== null && ms - f.firstMs >= o.maxFileAgeMs) return true;
    return o.rotateAtUtcMidnight && utcDayStartMs(ms) !== utcDayStartMs(f.firstMs);
  }

  #fsyncDue(): boolean {
    const o = this.#o;
    const f = this.#file;
    if (f.unsyncedRecords === 0) return false;
    return (
      o.fsyncIntervalMs === 0 ||
      (o.fsyncMaxBytes !== null && f.unsyncedBytes >= o.fsyncMaxBytes) ||
      (o.fsyncMaxRecords !== null && f.unsyncedRecords >= o.fsyncMaxRecords)
    );
  }

  async #sync(): Promise<void> {
    this.#syncWanted = false;
    this.#timer?.abort();
    this.#timer = null;
    const hadData = this.#file.unsyncedRecords > 0;
    if ((await this.#file.sync()) && hadData) this.#failedSinceSync = false;
  }

  #armTimer(): void {
    if (this.#timer !== null || this.#file.unsyncedRecords === 0 || this.#o.fsyncIntervalMs === 0) return;
    const timer = new AbortController();
    this.#timer = timer;
    this.#o.clock.sleep(this.#o.fsyncIntervalMs, timer.signal).then(
      () => {
        if (this.#timer !== timer) return;
        this.#timer = null;
        this.#syncWanted = true;
        this.#kick();
      },
      // Aborted: a sync came first.
      () => undefined,
    );
  }

  #settle(): void {
    if (this.#file.unsyncedRecords > 0) return;
    this.#settledSeq = this.#processedSeq;
    if (this.#waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.#waiters) {
      if (w.seq <= this.#settledSeq) w.resolve();
      else still.push(w);
    }
    this.#waiters = still;
  }

  #drop(count: number): void {
    this.#dropped += count;
    this.#processedSeq += count;
  }

  #fail(what: string, err: unknown): void {
    this.#failedSinceSync = true;
    this.#lastError = `${what}: ${reasonOf(err)}`;
    const where = { file: this.#file.path ?? this.#o.dir };
    this.#o.onError?.(new RigtuneError('RT_OUTPUT_WRITE', this.#lastError, where, { cause: err }));
  }
}
