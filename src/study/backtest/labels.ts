// Labelled incidents for a backtest: the simulator's ground truth (`*.events.ndjson`) or an operator's
// incident list (NDJSON or CSV: rig, device, start, end, kind); every bad line fails with file:line.

import { RigtuneError } from '../../core/errors.ts';
import { parseTimeText } from '../../traces/index.ts';

/** One labelled incident: when it began and ended on which rig (and device). */
export interface Label {
  /** The file's `id` when it has one, else `<file name>:<line>`. */
  readonly id: string;
  /** Free text: the simulator's fault kind (`fan_failure`, …) or the operator's category. */
  readonly kind: string;
  readonly rig: string;
  /** null = the whole rig (its pool, its power supply). */
  readonly device: string | null;
  /** Onset, epoch ms. */
  readonly startMs: number;
  /** End, epoch ms; null = it did not end within the data (lasts to the end of the trace). */
  readonly endMs: number | null;
  /** Where it was read: file and 1-based line. */
  readonly file: string;
  readonly line: number;
}

export type LabelFormat = 'ndjson' | 'csv';

/** `.csv` → csv, `.ndjson`/`.jsonl`/`.json` → ndjson; otherwise by content (a line starting with `{`). */
export function labelFormatOf(file: string, text: string): LabelFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (/\.(ndjson|jsonl|json)$/.test(lower)) return 'ndjson';
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  return first?.trim().startsWith('{') ? 'ndjson' : 'csv';
}

function bad(message: string, file: string, line: number, field?: string): RigtuneError {
  return new RigtuneError('RT_INPUT_PARSE', message, { file, line, field });
}

/** Epoch ms from a number (epoch s or ms) or text (epoch number or ISO 8601); throws with file:line. */
function timeOf(value: unknown, file: string, line: number, field: string): number {
  const ms =
    typeof value === 'number'
      ? parseTimeText(String(value))
      : typeof value === 'string'
        ? parseTimeText(value)
        : undefined;
  if (ms === undefined)
    throw new RigtuneError(
      'RT_INPUT_TIME',
      `${field}: expected epoch seconds, epoch ms or ISO 8601, got ${JSON.stringify(value)}`,
      { file, line, field },
    );
  return ms;
}

const NAME = /^\S{1,128}$/;

interface RawLabel {
  readonly id?: unknown;
  readonly kind?: unknown;
  readonly rig?: unknown;
  readonly device?: unknown;
  readonly start?: unknown;
  readonly end?: unknown;
}

/** Checks one label's fields (already picked by name) and builds it. */
function toLabel(raw: RawLabel, file: string, line: number, baseName: string): Label {
  if (typeof raw.rig !== 'string' || !NAME.test(raw.rig))
    throw bad('rig: a rig name is required (no spaces)', file, line, 'rig');
  const device = raw.device ?? null;
  if (device !== null && (typeof device !== 'string' || !NAME.test(device)))
    throw bad('device: a device name, or empty/null for the whole rig', file, line, 'device');
  if (typeof raw.kind !== 'string' || raw.kind.trim() === '')
    throw bad('kind: a non-empty text is required (e.g. fan_failure)', file, line, 'kind');
  if (raw.start === undefined || raw.start === null || raw.start === '')
    throw new RigtuneError('RT_INPUT_TIME', 'start: the onset time is required', {
      file,
      line,
      field: 'start',
    });
  const startMs = timeOf(raw.start, file, line, 'start');
  const endMs =
    raw.end === undefined || raw.end === null || raw.end === '' ? null : timeOf(raw.end, file, line, 'end');
  if (endMs !== null && endMs < startMs)
    throw new RigtuneError('RT_INPUT_TIME', `end is before start (${endMs} < ${startMs} ms)`, {
      file,
      line,
      field: 'end',
    });
  const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : `${baseName}:${line}`;
  return {
    id,
    kind: raw.kind.trim(),
    rig: raw.rig,
    device: device as string | null,
    startMs,
    endMs,
    file,
    line,
  };
}

function baseNameOf(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** NDJSON: one object per line with rig, device?, start|ts_start, end|ts_end?, kind, id?; `#` lines and blanks skipped. */
function parseNdjson(text: string, file: string): Label[] {
  const labels: Label[] = [];
  const base = baseNameOf(file);
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const lineText = raw.trim();
    if (lineText === '' || lineText.startsWith('#')) continue;
    let o: unknown;
    try {
      o = JSON.parse(lineText);
    } catch (err) {
      throw bad(`not JSON: ${(err as Error).message}`, file, i + 1);
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o))
      throw bad('expected a JSON object', file, i + 1);
    const r = o as Record<string, unknown>;
    labels.push(
      toLabel(
        {
          id: r.id,
          kind: r.kind,
          rig: r.rig,
          device: r.device,
          start: r.start ?? r.ts_start,
          end: r.end ?? r.ts_end,
        },
        file,
        i + 1,
        base,
      ),
    );
  }
  return labels;
}

/** Splits one CSV line into cells: commas, double-quoted cells with `""` escapes. */
export function splitCsvLine(line: string, file: string, lineNo: number): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (line[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= line.length) throw bad('unterminated quoted cell', file, lineNo);
        if (line[i] === '"' && line[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (line[i] === '"') {
          i += 1;
          break;
        } else cell += line[i++];
      }
      if (i < line.length && line[i] !== ',') throw bad('text after a closing quote', file, lineNo);
    } else {
      const next = line.indexOf(',', i);
      cell = next < 0 ? line.slice(i) : line.slice(i, next);
      i = next < 0 ? line.length : next;
    }
    cells.push(cell.trim());
    if (i >= line.length) return cells;
    i += 1; // the comma
  }
}

/** CSV with a header: rig, start (or ts_start), kind required; device, end (or ts_end), id optional. */
function parseCsv(text: string, file: string): Label[] {
  const lines = text.split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (headerAt < 0) return [];
  const header = splitCsvLine(lines[headerAt], file, headerAt + 1).map((h) => h.toLowerCase());
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const at = {
    rig: col('rig'),
    device: col('device'),
    start: col('start', 'ts_start'),
    end: col('end', 'ts_end'),
    kind: col('kind'),
    id: col('id'),
  };
  for (const need of ['rig', 'start', 'kind'] as const)
    if (at[need] < 0)
      throw new RigtuneError(
        'RT_INPUT_COLUMN',
        `the header needs a '${need}' column (rig, device, start, end, kind)`,
        {
          file,
          line: headerAt + 1,
          field: need,
        },
      );
  const labels: Label[] = [];
  const base = baseNameOf(file);
  for (let i = headerAt + 1; i < lines.length; i += 1) {
    if (lines[i].trim() === '' || lines[i].trim().startsWith('#')) continue;
    const cells = splitCsvLine(lines[i], file, i + 1);
    if (cells.length !== header.length)
      throw bad(`expected ${header.length} cells as in the header, got ${cells.length}`, file, i + 1);
    const cell = (k: number) => (k < 0 || cells[k] === '' ? undefined : cells[k]);
    labels.push(
      toLabel(
        {
          id: cell(at.id),
          kind: cell(at.kind),
          rig: cell(at.rig),
          device: cell(at.device),
          start: cell(at.start),
          end: cell(at.end),
        },
        file,
        i + 1,
        base,
      ),
    );
  }
  return labels;
}

/**
 * Parses a label file's text (`file` names it in errors). Throws RigtuneError with file and line:
 * RT_INPUT_PARSE (not JSON, missing rig/kind, bad cell count), RT_INPUT_TIME (bad or missing time, end
 * before start), RT_INPUT_COLUMN (CSV header lacks rig, start or kind).
 */
export function parseLabels(text: string, file: string, format = labelFormatOf(file, text)): Label[] {
  return format === 'csv' ? parseCsv(text, file) : parseNdjson(text, file);
}
