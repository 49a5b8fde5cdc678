// Offline trace files (CSV, NDJSON, Parquet in the snapshot schema) as the CLI's score, encode and
// replay commands read them. Readers stream records in file order and fail with file:line:field.

/** One row of a trace: time in epoch ms plus every numeric column (null = empty cell / missing). */
export interface TraceRecord {
  /** Epoch milliseconds, parsed from the `ts` column (epoch s, epoch ms or ISO 8601). */
  readonly ts: number;
  /** `rig` column, or the default rig name when the file has none. */
  readonly rig: string;
  /** `device` column, or the default device name when the file has none. */
  readonly device: string;
  /** Numeric columns by name, in file column order. */
  readonly values: Readonly<Record<string, number | null>>;
  /** 1-based line (CSV/NDJSON) or row number (Parquet, 1 = first data row) for error messages. */
  readonly line: number;
}

export type TraceFormat = 'csv' | 'ndjson' | 'parquet';

export interface TraceReader {
  readonly path: string;
  readonly format: TraceFormat;
  /** Numeric column names in file order (for NDJSON: in order of first appearance in the first record). */
  readonly numericColumns: readonly string[];
  /** Total size in bytes, for progress bars. */
  readonly sizeBytes: number;
  /**
   * Records in file order. Throws RigtuneError (RT_INPUT_PARSE, RT_INPUT_COLUMN, RT_INPUT_TIME)
   * naming file, line and field at the first bad record; time must increase strictly per (rig, device).
   * `onProgress` receives bytes (or rows for Parquet, scaled to bytes) consumed so far.
   */
  records(onProgress?: (consumedBytes: number) => void): AsyncIterable<TraceRecord>;
}

/** Options of `openTrace`. */
export interface OpenTraceOptions {
  /** Rig name for records of a file without a `rig` column (or with an empty cell); default "rig0". */
  readonly defaultRig?: string;
  /** Device name for records of a file without a `device` column (or with an empty cell); default "dev0". */
  readonly defaultDevice?: string;
  /** Skip detection and read the file as this format. */
  readonly format?: TraceFormat;
}

/** The rig and device names used where a file has none. */
export interface TraceDefaults {
  readonly rig: string;
  readonly device: string;
}
