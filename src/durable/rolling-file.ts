// The current file of a rotated log: opens uniquely named files (`ax`, sequence on collision), writes
// whole lines (cutting a failed write back off), fsyncs, and applies retention when a file is opened.

import { type FileHandle, mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../core/clock.ts';
import {
  applyLogRetention,
  type LogFilePattern,
  type LogRetention,
  logFileName,
  MAX_LOG_SEQ,
} from './log-files.ts';

/** What `RollingFile` needs; `onFail` receives each disk failure with what was being done. */
export interface RollingFileOptions {
  readonly dir: string;
  readonly pattern: LogFilePattern;
  readonly header?: (firstMs: number) => string;
  readonly retention: LogRetention;
  readonly clock: Pick<Clock, 'nowMs'>;
  readonly onFail: (what: string, err: unknown) => void;
}

/** One file at a time of a rotated log; its owner serialises every call. */
export class RollingFile {
  readonly #o: RollingFileOptions;
  #handle: FileHandle | null = null;
  #path: string | null = null;
  #lastName: { second: number; seq: number } | null = null;
  #dirReady = false;
  /** Time of the current file's first record (its name), epoch ms. */
  firstMs = 0;
  /** Bytes of the current file, header and reserved lines included. */
  bytes = 0;
  /** Records in the current file, reserved ones included. */
  records = 0;
  unsyncedRecords = 0;
  unsyncedBytes = 0;
  /** Records written / fsynced / lost (a failed fsync or an unsynced abandon) since construction. */
  written = 0;
  synced = 0;
  lost = 0;
  /** Files opened. */
  files = 0;

  constructor(options: RollingFileOptions) {
    this.#o = options;
  }

  get isOpen(): boolean {
    return this.#handle !== null;
  }

  get path(): string | null {
    return this.#path;
  }

  /** Opens a new file named after `firstMs` and writes its header; false (reported) on failure. */
  async open(firstMs: number): Promise<boolean> {
    const o = this.#o;
    try {
      if (!this.#dirReady) {
        await mkdir(o.dir, { recursive: true });
        this.#dirReady = true;
      }
      const second = Math.floor(firstMs / 1000) * 1000;
      let seq = this.#lastName?.second === second ? this.#lastName.seq + 1 : 0;
      for (;;) {
        if (seq > MAX_LOG_SEQ) throw new Error(`more than ${MAX_LOG_SEQ + 1} files in one second`);
        const path = join(o.dir, logFileName(o.pattern, firstMs, seq));
        try {
          this.#handle = await open(path, 'ax');
          this.#path = path;
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== 'EEXIST') throw err;
          seq++;
        }
      }
      this.#lastName = { second, seq };
      this.firstMs = firstMs;
      this.bytes = 0;
      this.records = 0;
      this.files++;
      if (o.header !== undefined) {
        const header = Buffer.from(`${o.header(firstMs)}\n`, 'utf8');
        await this.#handle.writeFile(header);
        this.bytes = header.length;
      }
      await syncDirectory(o.dir);
    } catch (err) {
      o.onFail(`cannot open a new log file in ${o.dir}`, err);
      // A file whose header could not be written holds nothing worth keeping.
      const path = this.#path;
      await this.abandon();
      if (path !== null) await unlink(path).catch(() => undefined);
      return false;
    }
    try {
      await applyLogRetention(o.dir, o.pattern, o.retention, o.clock.nowMs(), this.#path);
    } catch (err) {
      o.onFail(`cannot apply retention in ${o.dir}`, err);
    }
    return true;
  }

  /** Counts a line into the current file before it is written (rotation decisions see it). */
  reserve(bytes: number): void {
    this.bytes += bytes;
    this.records++;
  }

  /**
   * Writes `count` reserved lines. On failure (reported) the partial write is truncated away so the
   * file keeps whole lines; if that fails too the file is closed and the next record opens a new one.
   */
  async write(text: string, count: number): Promise<boolean> {
    const handle = this.#handle!;
    const data = Buffer.from(text, 'utf8');
    const goodBytes = this.bytes - data.length;
    try {
      let offset = 0;
      while (offset < data.length) offset += (await handle.write(data, offset)).bytesWritten;
    } catch (err) {
      this.#o.onFail(`cannot append to ${this.#path}`, err);
      this.records -= count;
      this.bytes = goodBytes;
      const cut = await handle.truncate(goodBytes).then(
        () => true,
        () => false,
      );
      if (!cut) await this.close();
      return false;
    }
    this.written += count;
    this.unsyncedRecords += count;
    this.unsyncedBytes += data.length;
    return true;
  }

  /** Fsyncs the current file; true when everything written is now durable. */
  async sync(): Promise<boolean> {
    if (this.#handle === null || this.unsyncedRecords === 0) return true;
    const count = this.unsyncedRecords;
    this.unsyncedRecords = 0;
    this.unsyncedBytes = 0;
    try {
      await this.#handle.sync();
      this.synced += count;
      return true;
    } catch (err) {
      // After a failed fsync the kernel may have dropped the pages: the records count as lost and
      // the file is not reused (a later fsync could falsely succeed).
      this.lost += count;
      this.#o.onFail(`cannot fsync ${this.#path}`, err);
      await this.abandon();
      return false;
    }
  }

  /** Fsyncs and closes the current file (rotation, shutdown). */
  async close(): Promise<void> {
    if (this.#handle === null) return;
    await this.sync();
    await this.abandon();
  }

  /** Closes without fsync; records written since the last fsync count as lost. */
  async abandon(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    this.#path = null;
    this.lost += this.unsyncedRecords;
    this.unsyncedRecords = 0;
    this.unsyncedBytes = 0;
    // Closing is best effort: the handle may already be unusable, and nothing more is written to it.
    await handle?.close().catch(() => undefined);
  }
}

/** Fsyncs a directory so a new file's name survives a crash (best effort, as in atomic-file.ts). */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (handle === undefined) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}
