// Parser of `nvidia-smi --query-gpu=… --format=csv,nounits` lines: the header (units in brackets even
// with nounits), `[N/A]`-style nulls, hex bitmasks, `P0` states and timestamps. Pure; never throws.

import { parseSmiTimestamp, type WallClockToEpoch } from './timestamp.ts';

/** A header column: field name as queried and the unit nvidia-smi prints in brackets (or null). */
export interface SmiColumn {
  readonly name: string;
  readonly unit: string | null;
}

/** A parsed cell: a number, text (name, UUID, bus id, P-state), or null (`[N/A]`, `[Not Supported]`…). */
export type SmiValue = number | string | null;

/** One parsed data line. */
export interface SmiRow {
  /** 1-based line number in the stream (the header is line 1). */
  readonly line: number;
  /** Sample time, epoch ms, from the `timestamp` column; null when the query has no timestamp. */
  readonly ts: number | null;
  /** Cell values by field name. */
  readonly values: Readonly<Record<string, SmiValue>>;
  /** Why a cell is null, by field name: the bracketed text, e.g. `[N/A]` or `[Not Supported]`. */
  readonly nulls: Readonly<Record<string, string>>;
}

/** A line that is neither header nor data: skipped and counted by the caller. */
export interface SmiGarbage {
  readonly line: number;
  readonly reason: string;
  /** The line, cut to 120 characters. */
  readonly excerpt: string;
}

const HEADER_CELL = /^([a-z0-9_.]+)(?: \[([^\]]*)\])?$/i;
const BRACKETED = /^\[[^\]]*\]$/;
const HEX = /^0x[0-9a-f]+$/i;
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

/** How a column's cells are read. */
type CellKind = 'timestamp' | 'integer' | 'text' | 'bitmask' | 'number' | 'auto';

const KINDS: Readonly<Record<string, CellKind>> = {
  timestamp: 'timestamp',
  index: 'integer',
  name: 'text',
  gpu_name: 'text',
  uuid: 'text',
  gpu_uuid: 'text',
  'pci.bus_id': 'text',
  gpu_bus_id: 'text',
  pstate: 'text',
  'clocks_event_reasons.active': 'bitmask',
  'clocks_throttle_reasons.active': 'bitmask',
  'clocks_event_reasons.supported': 'bitmask',
  'clocks_throttle_reasons.supported': 'bitmask',
  driver_version: 'text',
  vbios_version: 'text',
  serial: 'text',
};

const NUMERIC_PREFIXES = [
  'power.',
  'enforced.power.',
  'temperature.',
  'clocks.',
  'utilization.',
  'fan.',
  'memory.',
];

function kindOf(name: string): CellKind {
  const known = KINDS[name];
  if (known) return known;
  return NUMERIC_PREFIXES.some((p) => name.startsWith(p)) ? 'number' : 'auto';
}

/** Splits a CSV line of nvidia-smi: comma-separated, no quoting, a space after each comma. */
export function splitCells(line: string): string[] {
  return line.split(',').map((c) => c.trim());
}

/** The header columns, or null when `line` is not a header (a cell is not `name` or `name [unit]`). */
export function parseHeader(line: string): SmiColumn[] | null {
  const columns: SmiColumn[] = [];
  for (const cell of splitCells(line)) {
    const m = HEADER_CELL.exec(cell);
    if (!m || !/[a-z]/i.test(m[1])) return null;
    columns.push({ name: m[1], unit: m[2] ?? null });
  }
  return columns.length > 0 ? columns : null;
}

function excerptOf(line: string): string {
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** Reads a number, dropping the column's unit when it was printed (a query without `nounits`). */
function numberOf(text: string, unit: string | null): number | null {
  const bare = unit && text.endsWith(` ${unit}`) ? text.slice(0, -unit.length - 1).trim() : text;
  return DECIMAL.test(bare) ? Number(bare) : null;
}

type Cell = { ok: true; value: SmiValue } | { ok: false; reason: string };

function parseCell(text: string, column: SmiColumn, toEpoch: WallClockToEpoch): Cell {
  switch (kindOf(column.name)) {
    case 'timestamp': {
      const ts = parseSmiTimestamp(text, toEpoch);
      return ts === null ? { ok: false, reason: `bad timestamp '${text}'` } : { ok: true, value: ts };
    }
    case 'integer':
      return /^\d+$/.test(text)
        ? { ok: true, value: Number(text) }
        : { ok: false, reason: `bad ${column.name} '${text}'` };
    case 'text':
      return text === '' ? { ok: false, reason: `empty ${column.name}` } : { ok: true, value: text };
    case 'bitmask': {
      if (!HEX.test(text)) return { ok: false, reason: `bad bitmask ${column.name} '${text}'` };
      const big = BigInt(text);
      // A mask beyond 2^53 cannot be a JS number exactly: null rather than a wrong value.
      return { ok: true, value: big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : null };
    }
    case 'number': {
      const n = numberOf(text, column.unit);
      return n === null
        ? { ok: false, reason: `bad number ${column.name} '${text}'` }
        : { ok: true, value: n };
    }
    default:
      return { ok: true, value: numberOf(text, column.unit) ?? text };
  }
}

/**
 * Parses a data line against the header. Bracketed cells (`[N/A]`, `[Not Supported]`, `[Unknown
 * Error]`, …) and bare `N/A` become null; a wrong cell count or a cell that does not parse as its
 * field's type makes the whole line garbage (no half-read rows).
 */
export function parseRow(
  text: string,
  line: number,
  columns: readonly SmiColumn[],
  toEpoch: WallClockToEpoch,
): SmiRow | SmiGarbage {
  const cells = splitCells(text);
  if (cells.length !== columns.length)
    return {
      line,
      reason: `expected ${columns.length} cells, got ${cells.length}`,
      excerpt: excerptOf(text),
    };
  const values: Record<string, SmiValue> = {};
  const nulls: Record<string, string> = {};
  let ts: number | null = null;
  for (let i = 0; i < cells.length; i += 1) {
    const column = columns[i];
    const cell = cells[i];
    if (BRACKETED.test(cell) || cell === 'N/A') {
      values[column.name] = null;
      nulls[column.name] = cell;
      continue;
    }
    const parsed = parseCell(cell, column, toEpoch);
    if (!parsed.ok) return { line, reason: parsed.reason, excerpt: excerptOf(text) };
    values[column.name] = parsed.value;
    if (column.name === 'timestamp') ts = parsed.value as number;
  }
  return { line, ts, values, nulls };
}

/** True when `result` is a parsed row rather than garbage. */
export function isRow(result: SmiRow | SmiGarbage): result is SmiRow {
  return 'values' in result;
}
