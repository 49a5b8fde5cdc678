// NDJSON trace reader: one JSON object per line, streamed in chunks. The first record fixes the
// columns; later records may leave columns out (null) but may not add new ones.

import { RigtuneError } from '../core/errors.ts';
import { type ColumnLayout, layoutColumns, TimeOrderCheck } from './columns.ts';
import { readTextChunks } from './file.ts';
import { epochMsFromNumber, parseTimeText } from './time.ts';
import type { TraceDefaults, TraceReader, TraceRecord } from './types.ts';
import { excerpt, finiteOrNull, parseNumericText } from './values.ts';

interface JsonLine {
  readonly text: string;
  readonly line: number;
  /** Bytes consumed once the chunk holding this line is done. */
  readonly consumedBytes: number;
}

/** Non-blank lines of the file with their 1-based numbers; `\r\n` endings and a BOM are fine. */
async function* readLines(file: string): AsyncGenerator<JsonLine> {
  let rest = '';
  let line = 0;
  let consumedBytes = 0;
  for await (const chunk of readTextChunks(file)) {
    consumedBytes = chunk.consumedBytes;
    const parts = (rest + chunk.text).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      line++;
      const text = line === 1 && part.charCodeAt(0) === 0xfeff ? part.slice(1) : part;
      if (text.trim() !== '') yield { text, line, consumedBytes };
    }
  }
  line++;
  const text = line === 1 && rest.charCodeAt(0) === 0xfeff ? rest.slice(1) : rest;
  if (text.trim() !== '') yield { text, line, consumedBytes };
}

/** Parses one line as a JSON object. Throws RT_INPUT_PARSE with the line and an excerpt. */
function parseObject(file: string, { text, line }: JsonLine): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new RigtuneError(
      'RT_INPUT_PARSE',
      `invalid JSON (${reason}): ${excerpt(text, 60)}`,
      { file, line },
      { cause: err },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RigtuneError('RT_INPUT_PARSE', `expected a JSON object: ${excerpt(text, 60)}`, { file, line });
  }
  return value as Record<string, unknown>;
}

/** Reads the first record of an NDJSON trace for its columns and returns the reader. */
export async function openNdjsonTrace(
  file: string,
  sizeBytes: number,
  defaults: TraceDefaults,
): Promise<TraceReader> {
  let layout: ColumnLayout | undefined;
  for await (const first of readLines(file)) {
    layout = layoutColumns(Object.keys(parseObject(file, first)), file, first.line);
    break;
  }
  if (layout === undefined) {
    throw new RigtuneError('RT_INPUT_PARSE', 'empty file: no JSON record', { file, line: 1 });
  }
  const fixed = layout;
  return {
    path: file,
    format: 'ndjson',
    numericColumns: fixed.numericNames,
    sizeBytes,
    records: (onProgress) => readNdjsonRecords(file, fixed, defaults, sizeBytes, onProgress),
  };
}

async function* readNdjsonRecords(
  file: string,
  layout: ColumnLayout,
  defaults: TraceDefaults,
  sizeBytes: number,
  onProgress?: (consumedBytes: number) => void,
): AsyncGenerator<TraceRecord> {
  const toRecord = jsonConverter(file, layout, defaults);
  let reported = 0;
  for await (const line of readLines(file)) {
    yield toRecord(parseObject(file, line), line.line);
    if (line.consumedBytes !== reported) {
      reported = line.consumedBytes;
      onProgress?.(reported);
    }
  }
  onProgress?.(sizeBytes);
}

function nameCell(
  value: unknown,
  fallback: string,
  where: { file: string; line: number; column?: number; field: string },
): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value.trim() || fallback;
  if (typeof value === 'number') return String(value);
  throw new RigtuneError('RT_INPUT_COLUMN', `expected a string, got ${JSON.stringify(value)}`, where);
}

function jsonConverter(
  file: string,
  layout: ColumnLayout,
  defaults: TraceDefaults,
): (obj: Record<string, unknown>, line: number) => TraceRecord {
  const names = new Set([...layout.numericNames, layout.timeName, 'rig', 'device']);
  const order = new TimeOrderCheck(file, layout.timeName);
  const columnOf = (index: number) => (index >= 0 ? index + 1 : undefined);
  return (obj, line) => {
    for (const key of Object.keys(obj)) {
      if (!names.has(key)) {
        const msg = `column '${key}' is not in the first record; list every column there (null if unknown)`;
        throw new RigtuneError('RT_INPUT_COLUMN', msg, { file, line, field: key });
      }
    }
    const field = layout.timeName;
    const raw = obj[field];
    const ts =
      typeof raw === 'number'
        ? epochMsFromNumber(raw)
        : typeof raw === 'string'
          ? parseTimeText(raw)
          : undefined;
    if (ts === undefined) {
      const msg = `cannot read time ${excerpt(JSON.stringify(raw) ?? 'missing')} (expected epoch s, epoch ms or ISO 8601)`;
      throw new RigtuneError('RT_INPUT_TIME', msg, { file, line, column: layout.timeIndex + 1, field });
    }
    const rigWhere = { file, line, column: columnOf(layout.rigIndex), field: 'rig' };
    const rig = nameCell(obj.rig, defaults.rig, rigWhere);
    const deviceWhere = { file, line, column: columnOf(layout.deviceIndex), field: 'device' };
    const device = nameCell(obj.device, defaults.device, deviceWhere);
    const values: Record<string, number | null> = {};
    for (const [k, name] of layout.numericNames.entries()) {
      values[name] = numericCell(obj[name], {
        file,
        line,
        column: layout.numericIndexes[k] + 1,
        field: name,
      });
    }
    order.check(rig, device, ts, line);
    return { ts, rig, device, values, line };
  };
}

function numericCell(value: unknown, where: { file: string; line: number; column: number; field: string }) {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return finiteOrNull(value);
  if (typeof value === 'string') {
    const v = parseNumericText(value);
    if (v === undefined) throw new RigtuneError('RT_INPUT_PARSE', `not a number: ${excerpt(value)}`, where);
    return v;
  }
  const shown = excerpt(JSON.stringify(value));
  throw new RigtuneError('RT_INPUT_COLUMN', `expected a number, got ${typeof value} ${shown}`, where);
}
