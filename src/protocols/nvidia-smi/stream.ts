// Runs `nvidia-smi … -lms N` as a child process and parses its stdout line by line as it streams:
// header first, then one row per GPU per sample; garbage lines are reported, never fatal.

import { type ChildProcess, spawn } from 'node:child_process';
import { SourceError } from '../../core/errors.ts';
import { isRow, parseHeader, parseRow, type SmiColumn, type SmiGarbage, type SmiRow } from './csv.ts';
import { queryArgs, type SmiQuery } from './query.ts';
import type { WallClockToEpoch } from './timestamp.ts';

/** Longest line kept; a longer one (a stream without newlines) is cut off and reported as garbage. */
const MAX_LINE_CHARS = 16 * 1024;
/** Tail of stderr kept for the exit message. */
const STDERR_KEEP_CHARS = 2048;

/** How the child ended. */
export interface SmiExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last 2 KiB of stderr, trimmed. */
  readonly stderr: string;
  /** The first garbage line seen, if any (nvidia-smi prints some errors on stdout). */
  readonly firstGarbage: SmiGarbage | null;
}

/** Callbacks of a stream; called on the event loop as data arrives. */
export interface SmiHandlers {
  onHeader?(columns: readonly SmiColumn[]): void;
  onRow(row: SmiRow): void;
  onGarbage?(garbage: SmiGarbage): void;
  /** The process ended (by itself or by close()). Called once. */
  onExit?(exit: SmiExit): void;
  /** The process could not be started: ENOENT/EACCES give kind 'unsupported'. Called instead of onExit. */
  onSpawnError?(error: SourceError): void;
}

/** Options of `startSmiStream`. */
export interface SmiStreamOptions extends SmiQuery {
  /** Executable to run; default `nvidia-smi` (looked up on PATH). */
  readonly command?: string;
  /** Wall-clock → epoch converter for the timestamp column (see timestamp.ts). */
  readonly toEpoch: WallClockToEpoch;
}

/** A running query. */
export class SmiStream {
  readonly command: string;
  readonly args: readonly string[];
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #running = true;

  constructor(options: SmiStreamOptions, handlers: SmiHandlers) {
    this.command = options.command ?? 'nvidia-smi';
    this.args = queryArgs(options);
    // Own process group, so close() can signal the whole group (a wrapper script and its children).
    const child = spawn(this.command, this.args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.#child = child;
    const state = { stderr: '', firstGarbage: null as SmiGarbage | null, done: false };
    let resolveExited: () => void = () => {};
    this.#exited = new Promise((resolve) => {
      resolveExited = resolve;
    });
    const garbage = (g: SmiGarbage) => {
      state.firstGarbage ??= g;
      handlers.onGarbage?.(g);
    };
    const lines = lineSplitter(options, handlers, garbage);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => lines.push(chunk));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      state.stderr = (state.stderr + chunk).slice(-STDERR_KEEP_CHARS);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (state.done) return;
      state.done = true;
      this.#running = false;
      handlers.onSpawnError?.(spawnError(this.command, err));
      resolveExited();
    });
    child.on('close', (code, signal) => {
      if (state.done) return;
      state.done = true;
      this.#running = false;
      lines.end();
      handlers.onExit?.({ code, signal, stderr: state.stderr.trim(), firstGarbage: state.firstGarbage });
      resolveExited();
    });
  }

  /** The child's process id (undefined when the spawn failed). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** True until the process has exited or failed to start. */
  get isRunning(): boolean {
    return this.#running;
  }

  /**
   * Stops the process: SIGTERM to its group, SIGKILL after `graceMs` if it is still there (a process
   * blocked in a driver call may not act on SIGTERM). Resolves once it has exited. Idempotent.
   */
  async close(graceMs = 1000): Promise<void> {
    if (!this.#running) return this.#exited;
    signalGroup(this.#child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(this.#child, 'SIGKILL'), graceMs);
    try {
      await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone between the check and the kill; nothing left to stop.
  }
}

function spawnError(command: string, err: NodeJS.ErrnoException): SourceError {
  const missing = err.code === 'ENOENT' || err.code === 'EACCES';
  const hint = missing ? '; install the NVIDIA driver utilities or set the command option' : '';
  return new SourceError(
    missing ? 'unsupported' : 'status',
    `nvidia-smi could not be started: tried '${command}' (${err.code ?? err.message})${hint}`,
    { command },
    { cause: err },
  );
}

/** Feeds chunks, cuts lines, parses the header and rows, reports garbage; `end` flushes a last line. */
function lineSplitter(options: SmiStreamOptions, handlers: SmiHandlers, garbage: (g: SmiGarbage) => void) {
  let buffer = '';
  let discarding = false; // inside an over-long line: drop up to its newline
  let lineNo = 0;
  let columns: SmiColumn[] | null = null;
  let headerText = '';
  const handle = (raw: string) => {
    lineNo += 1;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    if (columns === null || text === headerText) {
      const header = parseHeader(text);
      if (header && header.length === options.fields.length) {
        if (columns === null) handlers.onHeader?.(header);
        columns = header;
        headerText = text;
        return;
      }
      if (columns === null) {
        garbage({ line: lineNo, reason: 'expected the CSV header', excerpt: text.slice(0, 120) });
        return;
      }
    }
    const row = parseRow(text, lineNo, columns, options.toEpoch);
    if (isRow(row)) handlers.onRow(row);
    else garbage(row);
  };
  return {
    push(chunk: string) {
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        if (discarding) discarding = false;
        else handle(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
      }
      if (discarding) buffer = '';
      else if (buffer.length > MAX_LINE_CHARS) {
        lineNo += 1;
        garbage({
          line: lineNo,
          reason: `line longer than ${MAX_LINE_CHARS} characters`,
          excerpt: buffer.slice(0, 120),
        });
        buffer = '';
        discarding = true;
      }
    },
    end() {
      if (buffer !== '' && !discarding) handle(buffer);
      buffer = '';
    },
  };
}
