// The Parquet history sink: write() appends cells to in-memory columns; a buffer closed by rows, bytes or
// age is encoded in the background into one file per UTC day (temp name, fsync, rename), then retention.

import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import { isRigtuneError, RigtuneError } from '../../core/errors.ts';
import type { HistoryReader, RigTickBatch, Sink, SinkHealth } from '../../core/sink.ts';
import { ChunkPool, ColumnBuffer, type Segment } from './buffer.ts';
import { type EncodeOptions, writeSegmentFile } from './encode.ts';
import { createParquetHistory, type LiveRows } from './history.ts';
import { applyRetention, cleanTempFiles, fileName, partitionDir } from './layout.ts';
import type { ParquetOptions } from './options.ts';
import { type FileQuery, isCompleteParquet, type Row } from './read.ts';
import { CHUNK_ROWS, DATASET_NAMES, DATASETS, type DatasetName } from './schema.ts';

/** What the sink needs from the runtime. */
export interface ParquetSinkDeps {
  readonly clock: Clock;
  readonly logger: Logger;
}

/** A closed buffer awaiting its files; `written` segments are already on disk. */
interface Pending {
  readonly buffer: ColumnBuffer;
  readonly firstBatch: number;
  segments: Segment[] | null;
  written: number;
}

interface Open {
  buffer: ColumnBuffer;
  firstBatch: number;
}

const RETENTION_EVERY_MS = 300_000;
const LOG_REPEAT_MS = 60_000;

function reasonOf(err: unknown): string {
  return err instanceof RigtuneError ? err.describe() : err instanceof Error ? err.message : String(err);
}

/** The sink; see README.md for the layout, the columns and the guarantees. */
export class ParquetSink implements Sink, LiveRows {
  readonly name = 'parquet';
  readonly dataDir: string;
  readonly #o: ParquetOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #datasets: readonly DatasetName[];
  readonly #open = new Map<DatasetName, Open>();
  /** Per dataset: chunks of written buffers, for the next ones. */
  readonly #pools = new Map<DatasetName, ChunkPool>();
  #pending: Pending[] = [];
  #writing: Pending | null = null;
  readonly #encode: EncodeOptions;
  readonly #ready: Promise<void>;
  #chain: Promise<void> = Promise.resolve();
  #scheduled = false;
  #seq = 0;
  #accepted = 0;
  #dropped = 0;
  #lastError: string | null = null;
  #failedAtMs: number | null = null;
  #loggedFailAtMs = Number.NEGATIVE_INFINITY;
  #retainedAtMs = Number.NEGATIVE_INFINITY;
  #closing: Promise<void> | null = null;
  readonly #stop = new AbortController();

  constructor(options: ParquetOptions, deps: ParquetSinkDeps) {
    this.#o = options;
    this.dataDir = options.data_dir;
    this.#clock = deps.clock;
    this.#log = deps.logger;
    this.#datasets = DATASET_NAMES.filter((d) => d !== 'events' || options.events);
    for (const d of this.#datasets) {
      // The pool keeps a quarter of a full buffer's chunks (rows or bytes bound): enough to take the
      // churn out of the allocator, without holding a second buffer's worth of memory (at 10,000
      // devices a full snapshot buffer is ≈ 60 MB, 6 KB a device).
      const rows = Math.min(
        options.max_file_rows,
        options.max_buffer_bytes / (8 * DATASETS[d].columns.length),
      );
      this.#pools.set(d, new ChunkPool(Math.ceil(rows / CHUNK_ROWS / 4) + 1));
      this.#open.set(d, { buffer: this.#newBuffer(d), firstBatch: 0 });
    }
    this.#encode = {
      rowGroupRows: options.row_group_rows,
      codec: options.compression === 'snappy' ? 'SNAPPY' : 'UNCOMPRESSED',
    };
    this.#ready = this.#start();
    void this.#timerLoop();
  }

  /** Resolves once startup (temp-file recovery, first retention pass) is done; never rejects. */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Buffers one rig's tick; never blocks, never throws. Encoding happens in the background. */
  write(batch: RigTickBatch): void {
    if (this.#closing !== null) {
      this.#dropped++;
      this.#log.warn({ rig: batch.rig, dropped: this.#dropped }, 'Parquet write after close dropped.');
      return;
    }
    const batchNo = ++this.#accepted;
    const now = this.#clock.nowMs();
    for (const [dataset, open] of this.#open) {
      if (open.buffer.rows === 0) open.firstBatch = batchNo;
      open.buffer.append(batch, now);
      if (this.#isFull(open.buffer, now)) this.#rotate(dataset);
    }
  }

  /** Writes everything buffered so far as files. Rejects with RT_OUTPUT_WRITE when a file could not be
   * written (its rows stay in memory and are retried). */
  async flush(): Promise<void> {
    for (const d of this.#datasets) this.#rotate(d);
    await this.#schedule();
    if (this.#pending.length > 0) {
      throw new RigtuneError(
        'RT_OUTPUT_WRITE',
        `Parquet history not written: ${this.#lastError ?? 'unknown'}`,
        {
          file: this.dataDir,
        },
      );
    }
  }

  /** Flushes, stops the timer. Idempotent; later writes are dropped (counted). */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#stop.abort();
      await this.flush();
    })();
    return this.#closing;
  }

  health(): SinkHealth {
    const firsts = [...this.#pending.map((p) => p.firstBatch)];
    for (const o of this.#open.values()) if (o.buffer.rows > 0) firsts.push(o.firstBatch);
    const oldest = firsts.length === 0 ? null : Math.min(...firsts);
    return {
      ok: this.#failedAtMs === null,
      queued: oldest === null ? 0 : this.#accepted - oldest + 1,
      spooled: 0,
      dropped: this.#dropped,
      lastError: this.#lastError,
    };
  }

  /** A HistoryReader over this sink's files and buffers. */
  history(): HistoryReader {
    return createParquetHistory({
      dataDir: this.dataDir,
      live: this,
      onFileError: (path, err) => this.#log.warn({ file: path, err }, 'Parquet history file unreadable.'),
    });
  }

  liveRows(dataset: DatasetName, q: FileQuery): Row[] {
    const buffers = this.#pending.filter((p) => p.buffer.spec.name === dataset).map((p) => p.buffer);
    const open = this.#open.get(dataset);
    if (open !== undefined) buffers.push(open.buffer);
    const rows: Row[] = [];
    for (const b of buffers) {
      const idx = q.columns.map((c) => b.columnIndex(c));
      for (let i = 0; i < b.rows; i++) {
        const ts = b.ts(i);
        if (ts < q.fromMs || ts > q.toMs || b.rig(i) !== q.rig) continue;
        if (q.device !== undefined && b.device(i) !== q.device) continue;
        const row: Row = { ts, rig: q.rig, device: b.device(i) };
        q.columns.forEach((c, k) => {
          row[c] = idx[k] < 0 ? null : b.cell(idx[k], i);
        });
        rows.push(row);
      }
    }
    return rows;
  }

  #isFull(b: ColumnBuffer, now: number): boolean {
    if (b.rows === 0) return false;
    if (b.rows >= this.#o.max_file_rows || b.bytes >= this.#o.max_buffer_bytes) return true;
    return b.openedMs !== null && now - b.openedMs >= this.#o.max_file_age_ms;
  }

  #rotate(dataset: DatasetName): void {
    const open = this.#open.get(dataset);
    if (open === undefined || open.buffer.rows === 0) return;
    this.#pending.push({ buffer: open.buffer, firstBatch: open.firstBatch, segments: null, written: 0 });
    this.#open.set(dataset, { buffer: this.#newBuffer(dataset), firstBatch: 0 });
    this.#bound();
    void this.#schedule();
  }

  #newBuffer(dataset: DatasetName): ColumnBuffer {
    return new ColumnBuffer(DATASETS[dataset], this.#pools.get(dataset));
  }

  /** Keeps the rows waiting for the disk under max_pending_rows by dropping the oldest closed buffers. */
  #bound(): void {
    let rows = this.#pending.reduce((n, p) => n + p.buffer.rows, 0);
    while (rows > this.#o.max_pending_rows) {
      const victim = this.#pending.find((p) => p !== this.#writing);
      if (victim === undefined) return;
      this.#pending = this.#pending.filter((p) => p !== victim);
      rows -= victim.buffer.rows;
      this.#dropped += victim.buffer.batches;
      this.#log.error(
        { dataset: victim.buffer.spec.name, rows: victim.buffer.rows, batches: victim.buffer.batches },
        'Parquet rows dropped: the disk is failing and the memory bound is reached.',
      );
      victim.buffer.release();
    }
  }

  /** Runs one drain after what is queued; concurrent calls share it. Never rejects. */
  #schedule(): Promise<void> {
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#chain = this.#chain.then(async () => {
        this.#scheduled = false;
        await this.#drain();
      });
    }
    return this.#chain;
  }

  async #drain(): Promise<void> {
    await this.#ready;
    try {
      while (this.#pending.length > 0) {
        const p = this.#pending[0];
        this.#writing = p;
        p.segments ??= p.buffer.segments();
        while (p.written < p.segments.length) {
          const seg = p.segments[p.written];
          const dir = partitionDir(this.dataDir, p.buffer.spec.name, seg.date);
          await mkdir(dir, { recursive: true });
          const path = `${dir}/${fileName(seg.startMs, this.#seq++)}`;
          const file = await writeSegmentFile(path, p.buffer, seg, this.#encode).catch((err: unknown) => {
            if (isRigtuneError(err, 'RT_OUTPUT_WRITE')) throw err; // the disk: keep the rows, retry later
            // Anything else is an encoding bug that a retry would repeat forever: give the rows up, loudly.
            this.#dropped += p.buffer.batches;
            this.#log.error(
              { err, file: path, rows: seg.order.length },
              'Parquet encoding failed; rows dropped.',
            );
            return null;
          });
          p.written++;
          if (file !== null)
            this.#log.debug({ file: file.path, rows: file.rows, bytes: file.bytes }, 'Parquet file written.');
        }
        this.#pending.shift();
        p.buffer.release(); // every segment is on disk (or given up): its chunks serve the next buffer
      }
      this.#writing = null;
      if (this.#failedAtMs !== null) this.#log.info({ dir: this.dataDir }, 'Parquet writes recovered.');
      this.#failedAtMs = null;
      await this.#retain(false);
    } catch (err) {
      this.#writing = null;
      this.#fail(err);
    }
  }

  async #retain(force: boolean): Promise<void> {
    const now = this.#clock.nowMs();
    if (!force && now - this.#retainedAtMs < RETENTION_EVERY_MS) return;
    if (this.#o.retention_days === null && this.#o.max_total_bytes === null) return;
    this.#retainedAtMs = now;
    const deleted = await applyRetention(this.dataDir, DATASET_NAMES, {
      nowMs: now,
      retentionDays: this.#o.retention_days,
      maxTotalBytes: this.#o.max_total_bytes,
    });
    if (deleted.length > 0) this.#log.info({ files: deleted.length }, 'Parquet retention deleted old files.');
  }

  async #start(): Promise<void> {
    try {
      await mkdir(this.dataDir, { recursive: true });
      const found = await cleanTempFiles(this.dataDir, DATASET_NAMES, isCompleteParquet);
      this.#seq = found.nextSeq;
      for (const file of found.recovered) this.#log.warn({ file }, 'Parquet file recovered from a crash.');
      for (const file of found.removed) this.#log.warn({ file }, 'Parquet temp file of a crash removed.');
      await this.#retain(true);
    } catch (err) {
      this.#fail(err);
    }
  }

  #fail(err: unknown): void {
    const now = this.#clock.nowMs();
    this.#lastError = reasonOf(err);
    this.#failedAtMs ??= now;
    if (now - this.#loggedFailAtMs >= LOG_REPEAT_MS) {
      this.#loggedFailAtMs = now;
      this.#log.error({ err, dir: this.dataDir }, 'Parquet write failed.');
    }
  }

  /** Closes buffers that reached max_file_age_ms while no writes came, and retries failed writes. */
  async #timerLoop(): Promise<void> {
    const every = Math.min(1000, this.#o.max_file_age_ms);
    while (!this.#stop.signal.aborted) {
      try {
        await this.#clock.sleep(every, this.#stop.signal);
      } catch {
        return; // aborted by close()
      }
      const now = this.#clock.nowMs();
      for (const [d, open] of this.#open) if (this.#isFull(open.buffer, now)) this.#rotate(d);
      if (this.#pending.length > 0) void this.#schedule();
    }
  }
}
