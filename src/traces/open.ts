// openTrace: the one entry point for offline traces. It checks the file, picks the format and
// hands back a streaming reader whose records carry epoch-ms time, rig, device and numeric values.

import { openCsvTrace } from './csv.ts';
import { detectFormat, SNIFF_BYTES } from './detect.ts';
import { fileSize, readHead } from './file.ts';
import { openNdjsonTrace } from './ndjson.ts';
import { openParquetTrace } from './parquet.ts';
import type { OpenTraceOptions, TraceDefaults, TraceReader } from './types.ts';

/** Rig name used when a trace has no `rig` column and no `defaultRig` is given. */
export const DEFAULT_RIG = 'rig0';
/** Device name used when a trace has no `device` column and no `defaultDevice` is given. */
export const DEFAULT_DEVICE = 'dev0';

/**
 * Opens a CSV, NDJSON or Parquet trace: checks it exists, detects the format (options.format, else
 * the extension, else the content), reads its header and returns a reader that streams records.
 * Throws RigtuneError: RT_INPUT_NOT_FOUND (missing or unreadable), RT_INPUT_FORMAT (unknown
 * format), RT_INPUT_COLUMN / RT_INPUT_TIME (bad header: duplicate, unknown type, no time column),
 * RT_INPUT_PARSE (empty file, broken first record).
 */
export async function openTrace(path: string, options: OpenTraceOptions = {}): Promise<TraceReader> {
  const sizeBytes = await fileSize(path);
  const format = options.format ?? detectFormat(path, await readHead(path, SNIFF_BYTES));
  const defaults: TraceDefaults = {
    rig: options.defaultRig ?? DEFAULT_RIG,
    device: options.defaultDevice ?? DEFAULT_DEVICE,
  };
  if (format === 'parquet') return openParquetTrace(path, sizeBytes, defaults);
  if (format === 'ndjson') return openNdjsonTrace(path, sizeBytes, defaults);
  return openCsvTrace(path, sizeBytes, defaults);
}
