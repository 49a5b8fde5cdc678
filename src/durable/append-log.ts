// A segmented append-only log of one-line records (NDJSON): appends never block, are written in order
// and fsynced on a bound; a reader consumes from the head and consumed segments are deleted.

import { type FileHandle, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RigtuneError } from '../core/errors.ts';
import { failure, readRecords, type Segment, scanSegments, segmentName } from './log-segments.ts';

/** Options of `AppendLog.open`. */
export interface AppendLogOptions {
  /** Directory of the segment files; created if missing. */
  readonly dir: string;
  /** File name prefix, `<name>-<16 digits>.ndjson`. Default 'log'. */
  readonly name?: string;
  /** A segment is closed once it holds this many bytes. Default 8 MiB. */
  readonly segmentMaxBytes?: number;
  /** Bound of all segments together, bytes; beyond it the oldest whole segments are dropped and counted. null = none. */
  readonly maxBytes?: number | null;
  /** Longest time a written record waits for fsync, ms; 0 = fsync every write. Default 1000. */
  readonly fsyncIntervalMs?: number;
  /** Most records written between two fsyncs. Default 1000. */
  readonly fsyncMaxRecords?: number;
  /** Bytes held in memory while the disk fails; beyond it the oldest held records are dropped. Default 64 MiB. */
  readonly maxPendingBytes?: number;
  /** Delay before a failed write is tried again, ms. Default 1000. */
  readonly retryMs?: number;
}

/** Where a read ended: commit it once the records are safely elsewhere. */
export interface LogCursor {
  readonly segment: number;
  readonly offset: number;
  readonly count: number;
}

export interface LogRead {
  /** Records in append order, without their newline. */
  readonly records: readonly string[];
  readonly cursor: LogCursor;
}

/**
 * The log. `append` only queues; one serial chain does every file operation (write, fsync, rotate,
 * read, delete), so they never interleave. Reads see only records already written to the file.
 * A crash loses at most the records not yet fsynced; a torn last line is cut off on `open`.
 */
export class AppendLog {
  readonly dir: string;
  readonly #name: string;
  readonly #segmentMaxBytes: number;
  readonly #maxBytes: number | null;
  readonly #fsyncIntervalMs: number;
  readonly #fsyncMaxRecords: number;
  readonly #maxPendingBytes: number;
  readonly #retryMs: number;
  readonly #segments: Segment[];
  #nextIndex: number;
  #writeHandle: FileHandle | null = null;
  #pending: string[] = [];
  #pendingBytes = 0;
  #writingRecords = 0;
  #writingBytes = 0;
  #unsynced = 0;
  #chain: Promise<unknown> = Promise.resolve();
  #writeQueued = false;
  #syncTimer: NodeJS.Timeout | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #readingSegment = -1;
  #dropped = 0;
  #lastError: RigtuneError | null = null;
  #closed = false;

  private constructor(options: AppendLogOptions, segments: Segment[]) {
    this.dir = options.dir;
    this.#name = options.name ?? 'log';
    this.#segmentMaxBytes = options.segmentMaxBytes ?? 8 << 20;
    this.#maxBytes = options.maxBytes ?? null;
    this.#fsyncIntervalMs = options.fsyncIntervalMs ?? 1000;
    this.#fsyncMaxRecords = options.fsyncMaxRecords ?? 1000;
    this.#maxPendingBytes = options.maxPendingBytes ?? 64 << 20;
    this.#retryMs = options.retryMs ?? 1000;
    this.#segments = segments;
    this.#nextIndex = segments.length === 0 ? 0 : segments[segments.length - 1].index + 1;
  }

  /** Opens (creating the directory) and recovers what a previous run left. Throws RT_OUTPUT_WRITE. */
  static async open(options: AppendLogOptions): Promise<AppendLog> {
    const segments = await scanSegments(options.dir, options.name ?? 'log');
    return new AppendLog(options, segments);
  }

  /** Records appended and not yet committed (on disk or still in memory). */
  get pendingRecords(): number {
    let n = this.#pending.length + this.#writingRecords;
    for (const s of this.#segments) n += s.records - s.consumedRecords;
    return n;
  }

  /** Bytes on disk plus bytes held in memory. */
  get bytes(): number {
    let n = this.#pendingBytes + this.#writingBytes;
    for (const s of this.#segments) n += s.bytes;
    return n;
  }

  /** Records given up (byte bound, memory bound while the disk failed). */
  get droppedRecords(): number {
    return this.#dropped;
  }

  /** The last disk failure, null once a later write succeeded. */
  get lastError(): RigtuneError | null {
    return this.#lastError;
  }

  /** Queues one record (no newline inside); it is written soon, in order. Never throws on disk errors. */
  append(record: string): void {
    if (this.#closed)
      throw new RigtuneError('RT_OUTPUT_WRITE', `log ${this.dir} is closed`, { file: this.dir });
    if (record.includes('\n'))
      throw new RigtuneError('RT_OUTPUT_WRITE', 'a log record may not contain a newline', { file: this.dir });
    this.#pending.push(record);
    this.#pendingBytes += Buffer.byteLength(record) + 1;
    while (this.#pendingBytes > this.#maxPendingBytes && this.#pending.length > 1) {
      this.#pendingBytes -= Buffer.byteLength(this.#pending.shift() as string) + 1;
      this.#dropped += 1;
    }
    if (!this.#writeQueued && this.#retryTimer === null) {
      this.#writeQueued = true;
      void this.#serial(() => this.#write(false)).catch(() => undefined);
    }
  }

  /** Writes and fsyncs everything appended so far. Rejects with RT_OUTPUT_WRITE when the disk fails. */
  flush(): Promise<void> {
    return this.#serial(() => this.#write(true));
  }

  /**
   * Up to `maxRecords` records from the head (everything appended so far is written first). Reading
   * again without a commit returns the same records. Rejects with RT_OUTPUT_WRITE.
   */
  read(maxRecords: number): Promise<LogRead> {
    return this.#serial(async () => {
      await this.#write(false);
      return await this.#readHead(maxRecords);
    });
  }

  /** Marks the records of `cursor` consumed; deletes segments that are done. Stale cursors are ignored. */
  commit(cursor: LogCursor): Promise<void> {
    return this.#serial(async () => {
      const seg = this.#segments.find((s) => s.index === cursor.segment);
      if (seg === undefined || cursor.offset <= seg.consumedBytes) return;
      seg.consumedBytes = cursor.offset;
      seg.consumedRecords += cursor.count;
      const open = this.#segments[this.#segments.length - 1];
      const allDone = this.#pending.length === 0 && this.#segments.every((s) => s.consumedBytes === s.bytes);
      for (const s of [...this.#segments]) {
        if (s.consumedBytes !== s.bytes || (s === open && this.#writeHandle !== null && !allDone)) continue;
        if (s === open && this.#writeHandle !== null) await this.#closeWriteHandle();
        await this.#remove(s);
      }
    });
  }

  /** Flushes, then closes the files (the content stays for the next `open`). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush().catch(() => undefined);
    this.#closed = true;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    if (this.#syncTimer !== null) clearTimeout(this.#syncTimer);
    await this.#serial(() => this.#closeWriteHandle());
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(op, op);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #write(sync: boolean): Promise<void> {
    this.#writeQueued = false;
    if (this.#pending.length > 0) {
      const records = this.#pending;
      const bytes = this.#pendingBytes;
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#writingRecords = records.length;
      this.#writingBytes = bytes;
      const progress = { written: 0 };
      try {
        await this.#writeRecords(records, progress);
        this.#lastError = null;
      } catch (err) {
        // Keep the unwritten records, in order, ahead of anything appended meanwhile; retry later.
        const rest = records.slice(progress.written);
        this.#pending = rest.concat(this.#pending);
        this.#pendingBytes += this.#writingBytes;
        this.#lastError = err as RigtuneError;
        this.#armRetry();
        throw err;
      } finally {
        this.#writingRecords = 0;
        this.#writingBytes = 0;
      }
    }
    if (this.#writeHandle !== null && this.#unsynced > 0) {
      if (sync || this.#fsyncIntervalMs === 0 || this.#unsynced >= this.#fsyncMaxRecords) await this.#sync();
      else this.#armSync();
    }
  }

  /** Writes `records` in order, starting a new segment whenever the current one is full. */
  async #writeRecords(records: string[], progress: { written: number }): Promise<void> {
    let from = 0;
    while (from < records.length) {
      let seg = this.#segments[this.#segments.length - 1];
      if (this.#writeHandle === null || seg.bytes >= this.#segmentMaxBytes) seg = await this.#rotate();
      let room = this.#segmentMaxBytes - seg.bytes;
      let to = from;
      while (to < records.length && (to === from || room > 0)) {
        room -= Buffer.byteLength(records[to]) + 1;
        to += 1;
      }
      await this.#writeChunk(seg, records.slice(from, to));
      from = to;
      progress.written = to;
    }
  }

  async #writeChunk(seg: Segment, records: string[]): Promise<void> {
    const data = Buffer.from(`${records.join('\n')}\n`, 'utf8');
    const handle = this.#writeHandle as FileHandle;
    let done = 0;
    try {
      // Positional writes: a failed or partial write is redone at the same place, never torn.
      while (done < data.length) {
        const { bytesWritten } = await handle.write(data, done, data.length - done, seg.bytes + done);
        done += bytesWritten;
      }
    } catch (err) {
      throw failure('cannot append to', join(this.dir, seg.file), err);
    }
    seg.bytes += data.length;
    seg.records += records.length;
    this.#unsynced += records.length;
    this.#writingRecords -= records.length;
    this.#writingBytes -= data.length;
  }

  async #rotate(): Promise<Segment> {
    await this.#closeWriteHandle();
    const seg: Segment = {
      index: this.#nextIndex,
      file: segmentName(this.#name, this.#nextIndex),
      bytes: 0,
      records: 0,
      consumedBytes: 0,
      consumedRecords: 0,
    };
    const path = join(this.dir, seg.file);
    try {
      this.#writeHandle = await open(path, 'w');
    } catch (err) {
      throw failure('cannot create', path, err);
    }
    this.#nextIndex += 1;
    this.#segments.push(seg);
    await this.#enforceMaxBytes();
    return seg;
  }

  async #enforceMaxBytes(): Promise<void> {
    if (this.#maxBytes === null) return;
    const open = this.#segments[this.#segments.length - 1];
    for (const s of [...this.#segments]) {
      if (this.bytes <= this.#maxBytes) return;
      if (s === open || s.index === this.#readingSegment) continue;
      this.#dropped += s.records - s.consumedRecords;
      await this.#remove(s);
    }
  }

  async #sync(): Promise<void> {
    if (this.#syncTimer !== null) clearTimeout(this.#syncTimer);
    this.#syncTimer = null;
    try {
      await this.#writeHandle?.datasync();
      this.#unsynced = 0;
    } catch (err) {
      throw failure('cannot fsync', this.dir, err);
    }
  }

  #armSync(): void {
    if (this.#syncTimer !== null) return;
    this.#syncTimer = setTimeout(() => {
      this.#syncTimer = null;
      void this.#serial(() => this.#write(true)).catch(() => undefined);
    }, this.#fsyncIntervalMs);
    this.#syncTimer.unref();
  }

  #armRetry(): void {
    if (this.#retryTimer !== null || this.#closed) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.#serial(() => this.#write(false)).catch(() => undefined);
    }, this.#retryMs);
    this.#retryTimer.unref();
  }

  async #readHead(maxRecords: number): Promise<LogRead> {
    const seg = this.#segments.find((s) => s.consumedBytes < s.bytes);
    if (seg === undefined || maxRecords <= 0)
      return { records: [], cursor: { segment: -1, offset: 0, count: 0 } };
    this.#readingSegment = seg.index;
    const { records, offset } = await readRecords(this.dir, seg, maxRecords);
    return { records, cursor: { segment: seg.index, offset, count: records.length } };
  }

  async #closeWriteHandle(): Promise<void> {
    const handle = this.#writeHandle;
    if (handle === null) return;
    this.#writeHandle = null;
    try {
      if (this.#unsynced > 0) await handle.datasync();
      this.#unsynced = 0;
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  async #remove(seg: Segment): Promise<void> {
    const i = this.#segments.indexOf(seg);
    if (i >= 0) this.#segments.splice(i, 1);
    if (this.#readingSegment === seg.index) this.#readingSegment = -1;
    await rm(join(this.dir, seg.file), { force: true });
  }
}

/** Files of a log named `name` in `dir` (for tests and `doctor`). */
export async function listSegments(dir: string, name = 'log'): Promise<string[]> {
  const prefix = `${name}-`;
  return (await readdir(dir).catch(() => [] as string[])).filter((f) => f.startsWith(prefix)).sort();
}
