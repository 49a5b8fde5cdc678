// Names, listing and retention of rotated log files (`<prefix>-YYYYMMDD-HHMMSS-NNN<ext>`): the name
// carries the UTC time of the file's first record, so name order is time order and `ls` reads well.

import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { RigtuneError } from '../core/errors.ts';

/** Which files of a directory belong to one log. */
export interface LogFilePattern {
  /** File name prefix: letters, digits, `_` and `-`, e.g. 'audit'. */
  readonly prefix: string;
  /** File name extension with its dot, e.g. '.ndjson'. */
  readonly extension: string;
}

/** One log file found on disk. */
export interface LogFileEntry {
  readonly name: string;
  readonly path: string;
  /** UTC time encoded in the name (whole seconds), epoch ms. */
  readonly nameMs: number;
  /** Sequence number within that second, 0–999. */
  readonly seq: number;
}

/** Highest sequence number of a name; beyond it a second's files are exhausted. */
export const MAX_LOG_SEQ = 999;

const PREFIX = /^[A-Za-z0-9_-]+$/;
const EXTENSION = /^\.[A-Za-z0-9.]+$/;

/** Throws RT_CONFIG_INVALID when the prefix or extension could produce ambiguous names. */
export function checkLogFilePattern(pattern: LogFilePattern): void {
  if (!PREFIX.test(pattern.prefix))
    throw new RigtuneError('RT_CONFIG_INVALID', `log prefix '${pattern.prefix}': expected [A-Za-z0-9_-]+`);
  if (!EXTENSION.test(pattern.extension))
    throw new RigtuneError('RT_CONFIG_INVALID', `log extension '${pattern.extension}': expected .ext`);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The file name for a first record at `ms` (UTC) with sequence `seq`, e.g. audit-20260301-235959-000.ndjson. */
export function logFileName(pattern: LogFilePattern, ms: number, seq: number): string {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
  const time = `${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds(), 2)}`;
  return `${pattern.prefix}-${date}-${time}-${pad(seq, 3)}${pattern.extension}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Time and sequence of a log file name, or null when the name is not one of this log's. */
export function parseLogFileName(pattern: LogFilePattern, name: string): { ms: number; seq: number } | null {
  const re = new RegExp(
    `^${escapeRegExp(pattern.prefix)}-(\\d{4})(\\d{2})(\\d{2})-(\\d{2})(\\d{2})(\\d{2})-(\\d{3})${escapeRegExp(pattern.extension)}$`,
  );
  const m = re.exec(name);
  if (m === null) return null;
  const [y, mo, d, h, mi, s, seq] = m.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Reject impossible dates (20260231) rather than letting Date.UTC roll them over.
  if (logFileName(pattern, ms, seq) !== name) return null;
  return { ms, seq };
}

/** Start of the UTC day holding `ms`, epoch ms. */
export function utcDayStartMs(ms: number): number {
  return Math.floor(ms / 86_400_000) * 86_400_000;
}

/** This log's files in `dir`, oldest first; an absent directory has none. */
export async function listLogFiles(dir: string, pattern: LogFilePattern): Promise<LogFileEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return [];
    throw new RigtuneError('RT_INPUT_NOT_FOUND', `cannot list ${dir}`, { file: dir }, { cause: err });
  }
  const entries: LogFileEntry[] = [];
  for (const name of names) {
    const parsed = parseLogFileName(pattern, name);
    if (parsed !== null) entries.push({ name, path: join(dir, name), nameMs: parsed.ms, seq: parsed.seq });
  }
  // The fixed-width name sorts in time order.
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Retention bounds; null = no bound of that kind. */
export interface LogRetention {
  /** Most files kept, the current one included. */
  readonly maxFiles: number | null;
  /** Files whose last write (mtime) is older than this are deleted, ms. */
  readonly maxAgeMs: number | null;
}

/**
 * Deletes this log's oldest files beyond `maxFiles` and those last written more than `maxAgeMs`
 * before `nowMs`; never the file named `keep` (the one being written). Returns the deleted paths.
 * A file that vanishes meanwhile is skipped; other failures throw RT_OUTPUT_WRITE.
 */
export async function applyLogRetention(
  dir: string,
  pattern: LogFilePattern,
  retention: LogRetention,
  nowMs: number,
  keep: string | null,
): Promise<string[]> {
  if (retention.maxFiles === null && retention.maxAgeMs === null) return [];
  const files = await listLogFiles(dir, pattern);
  const doomed = new Set<string>();
  if (retention.maxFiles !== null) {
    const excess = files.length - Math.max(1, retention.maxFiles);
    for (const f of files.slice(0, Math.max(0, excess))) doomed.add(f.path);
  }
  if (retention.maxAgeMs !== null) {
    for (const f of files) {
      if (doomed.has(f.path) || f.path === keep) continue;
      const info = await stat(f.path).catch(() => null);
      if (info !== null && nowMs - info.mtimeMs > retention.maxAgeMs) doomed.add(f.path);
    }
  }
  const deleted: string[] = [];
  for (const path of doomed) {
    if (path === keep) continue;
    try {
      await unlink(path);
      deleted.push(path);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') continue;
      throw new RigtuneError('RT_OUTPUT_WRITE', `cannot delete ${path}`, { file: path }, { cause: err });
    }
  }
  return deleted;
}
