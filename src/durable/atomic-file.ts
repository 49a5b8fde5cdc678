// Write-temp-then-rename: output files appear whole or not at all. Data goes to a temp file in the
// same directory, is fsynced, then renamed over the target, so a crash never leaves half a file.

import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RigtuneError } from '../core/errors.ts';

/** Options of `AtomicFileWriter.open` and `writeFileAtomic`. */
export interface AtomicWriteOptions {
  /** File mode of a new file; default: the existing target's mode, else 0o666 less the umask. */
  readonly mode?: number;
  /** Bytes collected in memory before a write to the temp file; default 64 KiB. */
  readonly bufferBytes?: number;
}

/** What a completed atomic write did. */
export interface AtomicWriteResult {
  readonly path: string;
  readonly bytesWritten: number;
}

type State = 'open' | 'committed' | 'aborted';

const DEFAULT_BUFFER_BYTES = 1 << 16;

function reasonOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err) return String(err.code);
  return err instanceof Error ? err.message : String(err);
}

/** The temp name for `path`: `.<name>.<pid>.<random>.tmp` in the same directory. */
export function tempPathFor(path: string, pid: number, random: string): string {
  return join(dirname(path), `.${basename(path)}.${pid}.${random}.tmp`);
}

/**
 * A streaming atomic write: `open` creates the temp file, `write` appends chunks, `commit` fsyncs,
 * renames over the target and fsyncs the directory; `abort` removes the temp file. Until `commit`
 * the target is untouched. Every failure is RT_OUTPUT_WRITE naming the target, with the cause, after
 * the temp file has been removed.
 */
export class AtomicFileWriter {
  readonly path: string;
  readonly tempPath: string;
  #handle: FileHandle;
  #state: State = 'open';
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #bytesWritten = 0;
  readonly #bufferBytes: number;

  private constructor(path: string, tempPath: string, handle: FileHandle, bufferBytes: number) {
    this.path = path;
    this.tempPath = tempPath;
    this.#handle = handle;
    this.#bufferBytes = bufferBytes;
  }

  /** Creates the temp file beside `path`. Throws RT_OUTPUT_WRITE (e.g. missing directory). */
  static async open(path: string, options: AtomicWriteOptions = {}): Promise<AtomicFileWriter> {
    const tempPath = tempPathFor(path, process.pid, randomBytes(4).toString('hex'));
    let mode = options.mode;
    if (mode === undefined) {
      // The target may not exist yet; then open() applies the default mode and the umask.
      mode = await stat(path).then(
        (s) => s.mode & 0o7777,
        () => undefined,
      );
    }
    try {
      const handle = await open(tempPath, 'wx', mode ?? 0o666);
      // open() applies the umask; an explicit or inherited mode is meant as given.
      if (mode !== undefined) await handle.chmod(mode);
      return new AtomicFileWriter(path, tempPath, handle, options.bufferBytes ?? DEFAULT_BUFFER_BYTES);
    } catch (err) {
      throw AtomicFileWriter.#error(path, 'cannot create a temp file beside', err);
    }
  }

  static #error(path: string, what: string, cause: unknown): RigtuneError {
    return new RigtuneError(
      'RT_OUTPUT_WRITE',
      `${what} ${path}: ${reasonOf(cause)}`,
      { file: path },
      { cause },
    );
  }

  /** Bytes accepted so far (written or buffered). */
  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  /** Appends a chunk (strings as UTF-8). Throws RT_OUTPUT_WRITE, after aborting, when the disk fails. */
  async write(chunk: string | Uint8Array): Promise<void> {
    this.#assertOpen();
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    this.#bytesWritten += bytes.length;
    if (this.#pendingBytes >= this.#bufferBytes) await this.#guard('cannot write', () => this.#flush());
  }

  /** Makes the content the target's, durably. Throws RT_OUTPUT_WRITE, after aborting, on failure. */
  async commit(): Promise<AtomicWriteResult> {
    this.#assertOpen();
    await this.#guard('cannot write', async () => {
      await this.#flush();
      await this.#handle.sync();
      await this.#handle.close();
    });
    await this.#guard('cannot replace', () => rename(this.tempPath, this.path));
    this.#state = 'committed';
    await syncDirectory(dirname(this.path));
    return { path: this.path, bytesWritten: this.#bytesWritten };
  }

  /** Drops the temp file; the target stays as it was. Safe to call twice, and a no-op after commit. */
  async abort(): Promise<void> {
    if (this.#state !== 'open') return;
    this.#state = 'aborted';
    this.#pending = [];
    // Cleanup is best effort: the handle may already be closed, the temp may be gone.
    await this.#handle.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }

  /** `await using` support: aborts unless committed. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.abort();
  }

  #assertOpen(): void {
    if (this.#state !== 'open') {
      throw new RigtuneError('RT_OUTPUT_WRITE', `${this.path}: writer already ${this.#state}`, {
        file: this.path,
      });
    }
  }

  async #flush(): Promise<void> {
    if (this.#pendingBytes === 0) return;
    const data = this.#pending.length === 1 ? this.#pending[0] : Buffer.concat(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    await this.#handle.writeFile(data);
  }

  async #guard(what: string, step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (err) {
      await this.abort();
      throw AtomicFileWriter.#error(this.path, what, err);
    }
  }
}

/** Fsyncs a directory so a rename in it survives a crash. */
async function syncDirectory(dir: string): Promise<void> {
  // Some file systems cannot fsync a directory (EINVAL, EISDIR); the rename itself has happened,
  // so the only loss is durability of the name on those, which nothing here can improve.
  const handle = await open(dir, 'r').catch(() => undefined);
  if (handle === undefined) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

/**
 * Writes `data` (a string, bytes, or an iterable / async iterable of chunks) to `path` atomically.
 * Throws RT_OUTPUT_WRITE on a disk failure; an error thrown by `data` itself (for example a parse
 * error of the input being scored) is rethrown unchanged. Either way the target is untouched and
 * no temp file remains.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
  options: AtomicWriteOptions = {},
): Promise<AtomicWriteResult> {
  const writer = await AtomicFileWriter.open(path, options);
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await writer.write(data);
    else for await (const chunk of data) await writer.write(chunk);
    return await writer.commit();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
