// CSV trace reader: a header row, then one record per row, streamed in chunks through CsvTokenizer.
// Cells are converted by the shared rules (values.ts, time.ts) and time order is checked per device.

import { RigtuneError } from '../core/errors.ts';
import { type ColumnLayout, layoutColumns, TimeOrderCheck } from './columns.ts';
import { type CsvRow, CsvTokenizer } from './csv-tokenizer.ts';
import { readTextChunks } from './file.ts';
import { parseTimeText } from './time.ts';
import type { TraceDefaults, TraceReader, TraceRecord } from './types.ts';
import { excerpt, parseNumericText } from './values.ts';

async function readHeader(file: string): Promise<CsvRow> {
  const tokenizer = new CsvTokenizer(file);
  for await (const chunk of readTextChunks(file)) {
    const rows = tokenizer.push(chunk.text);
    if (rows.length > 0) return rows[0];
  }
  const rows = tokenizer.end();
  if (rows.length > 0) return rows[0];
  throw new RigtuneError('RT_INPUT_PARSE', 'empty file: a CSV trace needs a header row', { file, line: 1 });
}

/** Reads the header of a CSV trace and returns its reader. Throws like `layoutColumns`. */
export async function openCsvTrace(
  file: string,
  sizeBytes: number,
  defaults: TraceDefaults,
): Promise<TraceReader> {
  const header = await readHeader(file);
  const layout = layoutColumns(
    header.cells.map((c) => c.trim()),
    file,
    header.line,
  );
  return {
    path: file,
    format: 'csv',
    numericColumns: layout.numericNames,
    sizeBytes,
    records: (onProgress) => readCsvRecords(file, layout, defaults, onProgress),
  };
}

async function* readCsvRecords(
  file: string,
  layout: ColumnLayout,
  defaults: TraceDefaults,
  onProgress?: (consumedBytes: number) => void,
): AsyncGenerator<TraceRecord> {
  const toRecord = csvRowConverter(file, layout, defaults);
  const tokenizer = new CsvTokenizer(file);
  let isHeader = true;
  for await (const chunk of readTextChunks(file)) {
    for (const row of tokenizer.push(chunk.text)) {
      if (isHeader) isHeader = false;
      else yield toRecord(row);
    }
    onProgress?.(chunk.consumedBytes);
  }
  for (const row of tokenizer.end()) {
    if (isHeader) isHeader = false;
    else yield toRecord(row);
  }
}

/** A function from a tokenized row to a TraceRecord, checking cell count, types and time order. */
export function csvRowConverter(
  file: string,
  layout: ColumnLayout,
  defaults: TraceDefaults,
): (row: CsvRow) => TraceRecord {
  const cellCount = layout.columnCount;
  const order = new TimeOrderCheck(file, layout.timeName);
  const { numericNames, numericIndexes, timeIndex, rigIndex, deviceIndex } = layout;
  return (row) => {
    const { cells, line } = row;
    if (cells.length !== cellCount) {
      const msg = `expected ${cellCount} cells, found ${cells.length}: ${excerpt(cells.join(','), 60)}`;
      throw new RigtuneError('RT_INPUT_PARSE', msg, { file, line });
    }
    const tsText = cells[timeIndex];
    const ts = parseTimeText(tsText);
    if (ts === undefined) {
      const what = tsText.trim() === '' ? 'empty time cell' : `cannot read time ${excerpt(tsText)}`;
      const msg = `${what} (expected epoch s, epoch ms or ISO 8601)`;
      throw new RigtuneError('RT_INPUT_TIME', msg, {
        file,
        line,
        column: timeIndex + 1,
        field: layout.timeName,
      });
    }
    const rig = rigIndex >= 0 ? cells[rigIndex].trim() || defaults.rig : defaults.rig;
    const device = deviceIndex >= 0 ? cells[deviceIndex].trim() || defaults.device : defaults.device;
    const values: Record<string, number | null> = {};
    for (let k = 0; k < numericNames.length; k++) {
      const text = cells[numericIndexes[k]];
      const v = parseNumericText(text);
      if (v === undefined) {
        const where = { file, line, column: numericIndexes[k] + 1, field: numericNames[k] };
        throw new RigtuneError('RT_INPUT_PARSE', `not a number: ${excerpt(text)}`, where);
      }
      values[numericNames[k]] = v;
    }
    order.check(rig, device, ts, line);
    return { ts, rig, device, values, line };
  };
}
