// Public face of traces/: open a CSV, NDJSON or Parquet trace and stream its records.
// Other layers import only this file.

export { DEFAULT_DEVICE, DEFAULT_RIG, openTrace } from './open.ts';
export { recordSnapshot, traceSnapshotFields } from './snapshot-fields.ts';
export { EPOCH_SECONDS_LIMIT, parseIsoTime, parseTimeText, TIME_COLUMN_NAMES } from './time.ts';
export type { OpenTraceOptions, TraceFormat, TraceReader, TraceRecord } from './types.ts';
export { MISSING_TOKENS, parseNumericText } from './values.ts';
