// Reads an audit log directory back in order (a tool and test helper): whole records only; a last
// line cut by a crash is reported, a complete line that is not a record is an error with file:line.

import { RigtuneError } from '../../core/errors.ts';
import { readLogFiles } from '../../durable/index.ts';
import { AUDIT_FILE_PATTERN, AUDIT_RECORD_TYPES, type AuditHeader, type AuditRecord } from './records.ts';

/** One file of the log. */
export interface AuditFileSummary {
  readonly path: string;
  /** The file's header line, or null when it has none (a file from a crash before the header). */
  readonly header: AuditHeader | null;
  /** Whole records read from this file. */
  readonly records: number;
}

/** A last line without its newline (a write interrupted by a crash); its content is not returned. */
export interface AuditTruncation {
  readonly file: string;
  /** 1-based line number of the incomplete line. */
  readonly line: number;
  readonly bytes: number;
}

export interface AuditLog {
  /** Every whole record, oldest file first, in file order; headers excluded. */
  readonly records: readonly AuditRecord[];
  readonly files: readonly AuditFileSummary[];
  /** Incomplete last lines found (at most one per file). */
  readonly truncated: readonly AuditTruncation[];
}

const TYPES: readonly string[] = AUDIT_RECORD_TYPES;

/**
 * Reads every `audit-*.ndjson` file of `dir` into memory. An absent directory is an empty log.
 * Throws RT_INPUT_PARSE (file, line) for a complete line that is not a JSON object with a known
 * `type`, RT_INPUT_NOT_FOUND when a file cannot be read.
 */
export async function readAuditLog(dir: string): Promise<AuditLog> {
  const records: AuditRecord[] = [];
  const files: AuditFileSummary[] = [];
  const truncated: AuditTruncation[] = [];
  for (const file of await readLogFiles(dir, AUDIT_FILE_PATTERN)) {
    let header: AuditHeader | null = null;
    let count = 0;
    file.lines.forEach((text, i) => {
      const value = parseLine(text, file.path, i + 1);
      if (value.type === 'header') {
        if (i !== 0) throw parseError(file.path, i + 1, 'a header line after the first line');
        header = value as unknown as AuditHeader;
      } else {
        records.push(value as unknown as AuditRecord);
        count++;
      }
    });
    files.push({ path: file.path, header, records: count });
    if (file.truncated !== null) truncated.push({ file: file.path, ...file.truncated });
  }
  return { records, files, truncated };
}

function parseLine(text: string, file: string, line: number): { type: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw parseError(file, line, `not JSON: ${text.slice(0, 60)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw parseError(file, line, 'not a JSON object');
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || (type !== 'header' && !TYPES.includes(type)))
    throw parseError(file, line, `unknown record type ${JSON.stringify(type)}`);
  return value as { type: string };
}

function parseError(file: string, line: number, what: string): RigtuneError {
  return new RigtuneError('RT_INPUT_PARSE', `audit log line: ${what}`, { file, line });
}
