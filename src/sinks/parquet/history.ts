// The HistoryReader over the Parquet history (GET /api/rigs/:rig/history): only the date partitions
// overlapping the range and only the wanted columns are read; rows still in memory are included.

import { RigtuneError } from '../../core/errors.ts';
import type { HistoryQuery, HistoryReader, HistoryResult } from '../../core/sink.ts';
import { listFiles } from './layout.ts';
import { type FileQuery, type Row, readRows } from './read.ts';
import { type Cell, DATASETS } from './schema.ts';

/** Datasets the history serves (events are not per-sample rows). */
const HISTORY_DATASETS = ['snapshots', 'scores'] as const;
type HistoryDataset = (typeof HISTORY_DATASETS)[number];

const KEY_COLUMNS = new Set(['ts', 'rig', 'device']);
const COLUMNS_OF: Record<HistoryDataset, readonly string[]> = {
  snapshots: DATASETS.snapshots.columns.map((c) => c.name).filter((n) => !KEY_COLUMNS.has(n)),
  scores: DATASETS.scores.columns.map((c) => c.name).filter((n) => !KEY_COLUMNS.has(n)),
};

/** Every field a history query may ask for: the snapshot columns, then the score columns. */
export const HISTORY_FIELDS: readonly string[] = [...COLUMNS_OF.snapshots, ...COLUMNS_OF.scores];

/** Largest `limit` accepted. */
export const MAX_HISTORY_LIMIT = 100_000;

/** Rows not yet in a file (the sink's buffers), so history is current. */
export interface LiveRows {
  /** Rows of `dataset` held in memory that match `q` (any order), with `q.columns` filled. */
  liveRows(dataset: HistoryDataset, q: FileQuery): Row[];
}

export interface ParquetHistoryOptions {
  /** The sink's `data_dir`. */
  readonly dataDir: string;
  readonly live?: LiveRows;
  /**
   * Called for a file that cannot be read (the query goes on without it); absent, such a file fails
   * the query with RT_INPUT_PARSE.
   */
  readonly onFileError?: (path: string, err: unknown) => void;
}

function param(field: string, message: string): RigtuneError {
  return new RigtuneError('RT_API_PARAM', message, { field });
}

/** Checks a query; throws RT_API_PARAM naming the parameter (`rig`, `from`, `to`, `fields`, `limit`). */
export function validateHistoryQuery(q: HistoryQuery): void {
  if (typeof q.rig !== 'string' || q.rig === '') throw param('rig', 'rig must be a non-empty name');
  if (!Number.isFinite(q.fromMs)) throw param('from', 'from must be a time (epoch ms)');
  if (!Number.isFinite(q.toMs)) throw param('to', 'to must be a time (epoch ms)');
  if (q.fromMs > q.toMs) throw param('from', `from (${q.fromMs}) is after to (${q.toMs})`);
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_HISTORY_LIMIT) {
    throw param('limit', `limit must be an integer from 1 to ${MAX_HISTORY_LIMIT}, got ${q.limit}`);
  }
  if (q.device !== undefined && (typeof q.device !== 'string' || q.device === '')) {
    throw param('device', 'device must be a non-empty name');
  }
  for (const f of q.fields ?? []) {
    if (!HISTORY_FIELDS.includes(f)) {
      throw param('fields', `unknown field '${f}'; known fields: ${HISTORY_FIELDS.join(', ')}`);
    }
  }
}

const keyOf = (row: Row): string => `${row.ts}\u0000${row.device}`;

/** The (limit+1)-th smallest time among the merged rows, or +Infinity while there are not that many. */
function cutoffMs(merged: Map<string, Row>, limit: number): number {
  if (merged.size <= limit) return Number.POSITIVE_INFINITY;
  const ts = new Float64Array(merged.size);
  let i = 0;
  for (const row of merged.values()) ts[i++] = row.ts as number;
  ts.sort();
  return ts[limit];
}

/** HistoryReader over `<dataDir>/{snapshots,scores}/date=…/part-….parquet` plus the live rows. */
export class ParquetHistory implements HistoryReader {
  readonly #options: ParquetHistoryOptions;

  constructor(options: ParquetHistoryOptions) {
    this.#options = options;
  }

  fields(): readonly string[] {
    return HISTORY_FIELDS;
  }

  /**
   * Rows of `q.rig` with q.fromMs ≤ ts ≤ q.toMs, a snapshot and a score of the same device and time
   * joined into one row, oldest first (ties by device), at most `q.limit`; `truncated` when more
   * matched. Fields a row lacks are null. Throws RT_API_PARAM for a bad query.
   */
  async query(q: HistoryQuery): Promise<HistoryResult> {
    validateHistoryQuery(q);
    const wanted = q.fields === null ? HISTORY_FIELDS : [...new Set(q.fields)];
    const plans = HISTORY_DATASETS.map((dataset) => ({
      dataset,
      columns: COLUMNS_OF[dataset].filter((c) => wanted.includes(c)),
    }));
    const used = plans.some((p) => p.columns.length > 0) ? plans.filter((p) => p.columns.length > 0) : plans;
    const merged = new Map<string, Row>();
    const add = (row: Row): void => {
      const key = keyOf(row);
      const had = merged.get(key);
      if (had === undefined) merged.set(key, row);
      else for (const [k, v] of Object.entries(row)) if (v !== null) had[k] = v;
    };
    // Live rows first, synchronously: a buffer committed while files are listed is then seen at
    // least once (twice is harmless, the merge is keyed by time and device).
    const base = { rig: q.rig, device: q.device, fromMs: q.fromMs, toMs: q.toMs };
    for (const p of used)
      for (const row of this.#options.live?.liveRows(p.dataset, { ...base, columns: p.columns }) ?? [])
        add(row);
    for (const p of used) {
      const files = await listFiles(this.#options.dataDir, p.dataset, q.fromMs, q.toMs);
      let cutoff = cutoffMs(merged, q.limit);
      for (const file of files) {
        // Files hold rows from their start time on: past the cutoff none can be among the first rows.
        if (file.startMs > cutoff || file.startMs > q.toMs) continue;
        for (const row of await this.#read(file.path, { ...base, columns: p.columns })) add(row);
        cutoff = cutoffMs(merged, q.limit);
      }
    }
    const rows = [...merged.values()].sort(
      (a, b) => (a.ts as number) - (b.ts as number) || String(a.device).localeCompare(String(b.device)),
    );
    const out = rows.slice(0, q.limit).map((r) => {
      const row: Record<string, Cell> = { ts: r.ts, rig: r.rig, device: r.device };
      for (const f of wanted) row[f] = r[f] ?? null;
      return row;
    });
    return { rows: out, truncated: rows.length > q.limit };
  }

  async #read(path: string, q: FileQuery): Promise<Row[]> {
    try {
      return await readRows(path, q);
    } catch (err) {
      // Retention deleted the file after it was listed: its rows are gone by policy.
      if ((err as { code?: string }).code === 'ENOENT') return [];
      if (this.#options.onFileError === undefined) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new RigtuneError(
          'RT_INPUT_PARSE',
          `cannot read Parquet history: ${reason}`,
          { file: path },
          { cause: err },
        );
      }
      this.#options.onFileError(path, err);
      return [];
    }
  }
}

/** A HistoryReader over the Parquet history in `options.dataDir`. */
export function createParquetHistory(options: ParquetHistoryOptions): HistoryReader {
  return new ParquetHistory(options);
}
