// Which Parquet column types a trace may hold, and how each reads: numbers, times, text or neither.
// Kept apart from the reader so the type rules are easy to check against the Parquet spec.

import type { SchemaElement } from 'hyparquet';

/** number: any numeric physical type; time: decodes to epoch ms; text: UTF-8; other: rejected. */
export type ColumnKind = 'number' | 'time' | 'text' | 'other';

const INTEGER_CONVERTED = new Set([
  'INT_8',
  'INT_16',
  'INT_32',
  'INT_64',
  'UINT_8',
  'UINT_16',
  'UINT_32',
  'UINT_64',
]);
const NUMERIC_PHYSICAL = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE']);

/** How a top-level column decodes (with the epoch-ms parsers of parquet.ts). Nested columns are 'other'. */
export function kindOfColumn(e: SchemaElement): ColumnKind {
  if ((e.num_children ?? 0) > 0 || e.repetition_type === 'REPEATED') return 'other';
  const ctype = e.converted_type;
  const ltype = e.logical_type?.type;
  if (ctype === 'TIMESTAMP_MILLIS' || ctype === 'TIMESTAMP_MICROS' || ctype === 'DATE') return 'time';
  if (ltype === 'TIMESTAMP' || ltype === 'DATE' || (e.type === 'INT96' && ctype === undefined)) return 'time';
  if (ctype === 'DECIMAL' || ltype === 'FLOAT16') return 'number';
  if (e.type !== undefined && NUMERIC_PHYSICAL.has(e.type)) {
    const isPlainCtype = ctype === undefined || INTEGER_CONVERTED.has(ctype);
    const isPlainLtype = ltype === undefined || ltype === 'INTEGER';
    if (isPlainCtype && isPlainLtype) return 'number';
  }
  if (ctype === 'UTF8' || ctype === 'ENUM' || ltype === 'STRING' || ltype === 'ENUM') return 'text';
  if (e.type === 'BYTE_ARRAY' && ctype === undefined && ltype === undefined) return 'text';
  return 'other';
}

/** The column's type as a short text for error messages, e.g. `BYTE_ARRAY (UTF8)`. */
export function describeType(e: SchemaElement): string {
  if ((e.num_children ?? 0) > 0) return 'group (nested)';
  const extra = e.logical_type?.type ?? e.converted_type;
  return extra === undefined ? String(e.type) : `${e.type} (${extra})`;
}
