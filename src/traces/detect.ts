// Trace format detection: the file extension first, then the first bytes (Parquet magic, a JSON
// object, a CSV header). Anything else is RT_INPUT_FORMAT with a hint, never a guess.

import { RigtuneError } from '../core/errors.ts';
import type { TraceFormat } from './types.ts';

/** Bytes `detectFormat` needs from the start of the file. */
export const SNIFF_BYTES = 4096;

const BY_EXTENSION: Readonly<Record<string, TraceFormat>> = {
  csv: 'csv',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  parquet: 'parquet',
};

function extensionOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Format from the content alone, or undefined when the bytes look like none of them. */
export function sniffFormat(head: Uint8Array): TraceFormat | undefined {
  if (head.length >= 4 && String.fromCharCode(...head.subarray(0, 4)) === 'PAR1') return 'parquet';
  if (head.includes(0)) return undefined;
  const text = new TextDecoder().decode(head).replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (start.startsWith('{')) return 'ndjson';
  const firstLine = start.split('\n')[0].replace(/\r$/, '');
  if (/^"?[A-Za-z_][\w .\-[\]/%"]*(,|$)/.test(firstLine)) return 'csv';
  return undefined;
}

/**
 * The trace format of `file`: from the extension (.csv, .ndjson, .jsonl, .parquet) when it has one,
 * checked against the content for Parquet; otherwise sniffed from `head`. Throws RT_INPUT_FORMAT.
 */
export function detectFormat(file: string, head: Uint8Array): TraceFormat {
  const ext = extensionOf(file);
  const sniffed = sniffFormat(head);
  const byExt = BY_EXTENSION[ext];
  if (byExt === 'parquet' && sniffed !== 'parquet') {
    throw new RigtuneError('RT_INPUT_FORMAT', `${file}: named .parquet but does not start with PAR1`, {
      file,
    });
  }
  if (byExt !== undefined && byExt !== 'parquet' && sniffed === 'parquet') {
    throw new RigtuneError('RT_INPUT_FORMAT', `${file}: named .${ext} but is a Parquet file`, { file });
  }
  if (byExt !== undefined) return byExt;
  if (sniffed !== undefined) return sniffed;
  const isGzip = head[0] === 0x1f && head[1] === 0x8b;
  const hint = isGzip
    ? 'it is gzip-compressed; decompress it first'
    : 'expected CSV with a header row, NDJSON (one JSON object per line) or Parquet';
  throw new RigtuneError('RT_INPUT_FORMAT', `${file}: unknown trace format: ${hint}`, { file });
}
