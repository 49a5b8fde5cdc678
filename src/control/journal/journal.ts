// The write-ahead action journal: every event is written and fsynced before the call resolves, so the
// controller applies a set-point only once its intention is on disk; reopening replays what a crash left.

import { copyFile, type FileHandle, mkdir, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RigtuneError } from '../../core/errors.ts';
import { splitLines, writeFileAtomic } from '../../durable/index.ts';
import {
  decodeLine,
  encodeLine,
  type IntendedAction,
  type JournalLine,
  type LastKnownGood,
  type MarkEvent,
} from './events.ts';
import { type InFlightAction, type JournalAction, JournalState } from './state.ts';

/** Where the journal lives and how big it may grow (bytes, ms). */
export interface ActionJournalOptions {
  /** Directory of the journal file; created if missing. */
  readonly dir: string;
  /** File name. Default 'actions.journal.ndjson'. */
  readonly name?: string;
  /** Compaction starts once the file passes this size (and twice its size after the last compaction). Default 1 MiB. */
  readonly maxBytes?: number;
  /** Finished actions younger than this (before the newest event) survive compaction. Default 2 h. */
  readonly keepRecentMs?: number;
}

/** A line of the journal that could not be used, 1-based. */
export interface JournalProblem {
  readonly line: number;
  readonly message: string;
}

/** What `open` found. */
export interface JournalReplay {
  readonly path: string;
  /** Actions known after the replay (finished ones older than keepRecentMs are dropped). */
  readonly actions: number;
  readonly inFlight: number;
  /** Bytes of an incomplete last line a crash left (cut off), 0 when the file ended cleanly. */
  readonly truncatedBytes: number;
  /** Whole lines that are not journal events or do not fit the action's state (skipped). */
  readonly problems: readonly JournalProblem[];
  /** Copy of the file as found, kept when it had problems (null otherwise). */
  readonly preservedAs: string | null;
}

export interface ActionJournalStats {
  readonly bytes: number;
  readonly appends: number;
  readonly compactions: number;
  /** Last failure (append, compaction), null when none. */
  readonly lastError: string | null;
  /** True after an append failed and the file could not be restored: every later append is refused. */
  readonly broken: boolean;
}

const DEFAULT_MAX_BYTES = 1 << 20;
const DEFAULT_KEEP_MS = 2 * 3_600_000;

function fail(message: string, file: string, cause?: unknown): RigtuneError {
  return new RigtuneError('RT_OUTPUT_WRITE', message, { file }, { cause });
}

/** The journal; see src/control/journal/README.md. One instance per file; appends are serialised. */
export class ActionJournal {
  readonly path: string;
  readonly replay: JournalReplay;
  readonly #state: JournalState;
  readonly #maxBytes: number;
  readonly #keepMs: number;
  #handle: FileHandle | null;
  #size: number;
  #compactAt: number;
  #chain: Promise<unknown> = Promise.resolve();
  #appends = 0;
  #compactions = 0;
  #lastError: string | null = null;
  #broken: RigtuneError | null = null;

  private constructor(
    o: ActionJournalOptions,
    path: string,
    state: JournalState,
    replay: JournalReplay,
    handle: FileHandle,
    size: number,
  ) {
    this.path = path;
    this.replay = replay;
    this.#state = state;
    this.#maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#keepMs = o.keepRecentMs ?? DEFAULT_KEEP_MS;
    this.#handle = handle;
    this.#size = size;
    this.#compactAt = Math.max(this.#maxBytes, 2 * size);
  }

  /**
   * Replays the file (a torn last line is cut, bad lines are skipped, reported and the file kept as
   * `<name>.bad-N`), rewrites it compacted and opens it for appends. Throws RT_OUTPUT_WRITE.
   */
  static async open(o: ActionJournalOptions): Promise<ActionJournal> {
    const path = join(o.dir, o.name ?? 'actions.journal.ndjson');
    try {
      await mkdir(o.dir, { recursive: true });
    } catch (err) {
      throw fail(`cannot create the journal directory ${o.dir}`, o.dir, err);
    }
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw fail(`cannot read ${path}`, path, err);
    }
    const { lines, truncated } = splitLines(path, text);
    const state = new JournalState();
    const problems: JournalProblem[] = [];
    lines.forEach((text, i) => {
      const line = decodeLine(text);
      const problem = typeof line === 'string' ? line : state.apply(line);
      if (problem !== null) problems.push({ line: i + 1, message: problem });
    });
    const preservedAs = problems.length > 0 ? await preserve(path) : null;
    const size = await rewrite(path, state.compact(o.keepRecentMs ?? DEFAULT_KEEP_MS));
    let handle: FileHandle;
    try {
      handle = await open(path, 'r+');
    } catch (err) {
      throw fail(`cannot open ${path}`, path, err);
    }
    const replay: JournalReplay = {
      path,
      actions: state.actionCount,
      inFlight: state.inFlight().length,
      truncatedBytes: truncated?.bytes ?? 0,
      problems,
      preservedAs,
    };
    return new ActionJournal(o, path, state, replay, handle, size);
  }

  /** Journals an intended action and resolves with its id once it is on disk. Rejects RT_OUTPUT_WRITE. */
  intend(action: IntendedAction): Promise<string> {
    return this.#serial(async () => {
      const id = this.#state.takeId();
      const line: JournalLine = { type: 'intended', id, ...action };
      await this.#append(line);
      return id;
    });
  }

  /** Journals a later step of an action; resolves once on disk. Rejects RT_OUTPUT_WRITE (also when it does not fit). */
  mark(event: MarkEvent): Promise<void> {
    return this.#serial(async () => {
      const problem = this.#state.check(event);
      if (problem !== null) throw fail(`journal: ${problem}`, this.path);
      await this.#append(event);
    });
  }

  /** Actions neither validated nor rolled back (restore them after a crash), oldest first. */
  inFlight(rig?: string): InFlightAction[] {
    return this.#state.inFlight(rig);
  }

  /** Last-known-good set-points, in (rig, device, kind) order. */
  lastKnownGood(rig?: string): LastKnownGood[] {
    return this.#state.lastKnownGood(rig);
  }

  /** `rig`'s actions intended at or after `sinceMs` (epoch ms), oldest first. */
  recent(rig: string, sinceMs: number): JournalAction[] {
    return this.#state.recent(rig, sinceMs);
  }

  action(id: string): JournalAction | undefined {
    return this.#state.action(id);
  }

  stats(): ActionJournalStats {
    return {
      bytes: this.#size,
      appends: this.#appends,
      compactions: this.#compactions,
      lastError: this.#lastError,
      broken: this.#broken !== null,
    };
  }

  /** Waits for pending appends, closes the file. Idempotent; later appends reject. */
  async close(): Promise<void> {
    await this.#serial(async () => {
      const h = this.#handle;
      this.#handle = null;
      this.#broken ??= fail(`journal ${this.path} is closed`, this.path);
      await h?.close();
    }).catch(() => undefined);
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(op, op);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #append(line: JournalLine): Promise<void> {
    if (this.#broken !== null || this.#handle === null)
      throw this.#broken ?? fail('journal closed', this.path);
    const handle = this.#handle;
    const data = Buffer.from(`${encodeLine(line)}\n`, 'utf8');
    try {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await handle.write(data, done, data.length - done, this.#size + done);
        done += bytesWritten;
      }
      await handle.datasync();
    } catch (err) {
      this.#lastError = `append: ${(err as Error).message}`;
      // Cut what was written, so a later append never follows half a line; if even that fails, stop.
      await handle
        .truncate(this.#size)
        .then(() => handle.datasync())
        .catch((cut: unknown) => {
          this.#broken = fail(
            `journal ${this.path} cannot be restored after a failed append`,
            this.path,
            cut,
          );
        });
      throw fail(`cannot append to ${this.path}`, this.path, err);
    }
    this.#size += data.length;
    this.#appends += 1;
    this.#state.apply(line);
    if (this.#size > this.#compactAt) await this.#compact();
  }

  async #compact(): Promise<void> {
    const lines = this.#state.compact(this.#keepMs);
    let size: number;
    try {
      size = await rewrite(this.path, lines);
    } catch (err) {
      // The old file (and handle) stay valid: it still holds every event, only larger.
      this.#lastError = `compaction: ${(err as Error).message}`;
      this.#compactAt = Math.max(this.#maxBytes, 2 * this.#size);
      return;
    }
    // The rename replaced the file: the old handle now points at an unlinked inode and must not be used.
    const old = this.#handle;
    this.#handle = null;
    await old?.close().catch(() => undefined);
    try {
      this.#handle = await open(this.path, 'r+');
    } catch (err) {
      this.#broken = fail(`cannot reopen ${this.path} after compaction`, this.path, err);
      this.#lastError = this.#broken.message;
      return;
    }
    this.#size = size;
    this.#compactions += 1;
    this.#compactAt = Math.max(this.#maxBytes, 2 * size);
  }
}

/** Writes `lines` as the whole file, atomically (temp, fsync, rename, fsync dir); returns its size. */
async function rewrite(path: string, lines: readonly JournalLine[]): Promise<number> {
  const text = lines.map((l) => `${encodeLine(l)}\n`).join('');
  await writeFileAtomic(path, text);
  return Buffer.byteLength(text);
}

/** Copies a journal that had bad lines to the first free `<path>.bad-N`. */
async function preserve(path: string): Promise<string> {
  for (let n = 1; ; n++) {
    const target = `${path}.bad-${n}`;
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    try {
      await copyFile(path, target);
    } catch (err) {
      throw fail(`cannot keep a copy of ${path}`, target, err);
    }
    return target;
  }
}
