// Reads the lines of a rotated log back (oldest file first), tolerating what a crash can leave: a last
// line without its newline is set aside and reported, never returned as if it were whole.

import { readFile } from 'node:fs/promises';
import { RigtuneError } from '../core/errors.ts';
import { type LogFilePattern, listLogFiles } from './log-files.ts';

/** One file's whole lines, and the incomplete tail a crash left, if any. */
export interface LogFileLines {
  readonly path: string;
  /** Complete lines (newline removed), in file order; the first is 1. */
  readonly lines: readonly string[];
  /** Bytes after the last newline (an interrupted write), or null when the file ends cleanly. */
  readonly truncated: { readonly bytes: number; readonly line: number } | null;
}

/**
 * Every file of the log in `dir`, oldest first. Reads whole files into memory (a tool and test
 * helper, not a streaming reader). Throws RT_INPUT_NOT_FOUND when a file cannot be read.
 */
export async function readLogFiles(dir: string, pattern: LogFilePattern): Promise<LogFileLines[]> {
  const out: LogFileLines[] = [];
  for (const entry of await listLogFiles(dir, pattern)) {
    let text: string;
    try {
      text = await readFile(entry.path, 'utf8');
    } catch (err) {
      // Retention may delete the oldest file between listing and reading.
      if ((err as { code?: string }).code === 'ENOENT') continue;
      throw new RigtuneError(
        'RT_INPUT_NOT_FOUND',
        `cannot read ${entry.path}`,
        { file: entry.path },
        { cause: err },
      );
    }
    out.push(splitLines(entry.path, text));
  }
  return out;
}

/** Splits `text` into whole lines and an incomplete tail. */
export function splitLines(path: string, text: string): LogFileLines {
  const end = text.lastIndexOf('\n');
  const whole = end < 0 ? '' : text.slice(0, end);
  const lines = end < 0 ? [] : whole.split('\n');
  const tail = text.slice(end + 1);
  const truncated = tail === '' ? null : { bytes: Buffer.byteLength(tail), line: lines.length + 1 };
  return { path, lines, truncated };
}
