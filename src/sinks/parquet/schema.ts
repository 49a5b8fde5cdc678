// The three datasets of the Parquet history (snapshots, scores, events): their columns and Parquet
// types, and how a tick batch becomes column cells. Columns are the contract DuckDB users query.

import type { RuptureEvent, ScoreTick } from '../../core/scores.ts';
import { type RigTickBatch, SCHEMA_VERSION } from '../../core/sink.ts';
import { NUMERIC_FIELDS, type Snapshot } from '../../core/snapshot.ts';

export const DATASET_NAMES = ['snapshots', 'scores', 'events'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** timestamp: INT64 TIMESTAMP_MILLIS (DuckDB TIMESTAMP, UTC); string: UTF-8; double; int32. */
export type ColumnType = 'timestamp' | 'string' | 'double' | 'int32';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
}

/** One cell as buffered: numbers (timestamps as epoch ms), strings, or null. */
export type Cell = number | string | null;

/** Rows per chunk of a buffer's columns (a power of two). */
export const CHUNK_ROWS = 2048;

/**
 * Where a dataset writes its rows: straight into typed chunks, no call per cell. A column's slot is
 * its position among the columns of its kind (numeric: timestamp, double, int32; or string), in
 * `columns` order. Within a chunk, slot `k` of the row at offset `p` is `num[p + k * CHUNK_ROWS]`
 * (NaN = null) or `str[p + k * CHUNK_ROWS]`.
 */
export interface RowTarget {
  /** Starts a row and returns its offset in the current chunk; read `num` and `str` after it. */
  next(): number;
  readonly num: Float64Array;
  readonly str: (string | null)[];
}

/** A dataset: its columns (ts, rig, device first) and the rows a batch contributes. */
export interface DatasetSpec {
  readonly name: DatasetName;
  readonly columns: readonly ColumnSpec[];
  /** Writes this batch's rows into `target`, cells in `columns` order; returns the rows written. */
  append(batch: RigTickBatch, target: RowTarget): number;
}

/** Parquet key-value metadata key holding SCHEMA_VERSION (and `rigtune_dataset` the dataset name). */
export const SCHEMA_VERSION_KEY = 'rigtune_schema_version';

const col = (name: string, type: ColumnType, nullable = type === 'double'): ColumnSpec => ({
  name,
  type,
  nullable,
});
const KEY_COLUMNS = [col('ts', 'timestamp'), col('rig', 'string'), col('device', 'string')];

/** A numeric cell: the value when finite, else NaN (null in the file). */
function num(v: number | null | undefined): number {
  return Number.isFinite(v) ? (v as number) : Number.NaN;
}

/** A comma-joined list cell; the empty and one-item lists (most rows) allocate nothing. */
function joined(list: readonly string[]): string {
  return list.length === 0 ? '' : list.length === 1 ? list[0] : list.join(',');
}

const SNAPSHOT_COLUMNS: readonly ColumnSpec[] = [
  ...KEY_COLUMNS,
  ...NUMERIC_FIELDS.map((f) => col(f, 'double')),
];

// Field by field, in NUMERIC_FIELDS order (a test checks the order): named property reads cost a
// fifth of a loop over the field names (keyed loads), and this runs for every device every tick.
function appendSnapshots(list: readonly Snapshot[], t: RowTarget): number {
  const S = CHUNK_ROWS;
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    const p = t.next();
    const f = t.num;
    const w = t.str;
    f[p] = s.ts;
    w[p] = s.rig;
    w[p + S] = s.device;
    f[p + S] = num(s.hashrate_5s);
    f[p + 2 * S] = num(s.hashrate_1m);
    f[p + 3 * S] = num(s.hashrate_expected);
    f[p + 4 * S] = num(s.power_w);
    f[p + 5 * S] = num(s.power_limit_w);
    f[p + 6 * S] = num(s.temp_core_c);
    f[p + 7 * S] = num(s.temp_mem_c);
    f[p + 8 * S] = num(s.temp_chip_max_c);
    f[p + 9 * S] = num(s.temp_inlet_c);
    f[p + 10 * S] = num(s.temp_outlet_c);
    f[p + 11 * S] = num(s.temp_target_c);
    f[p + 12 * S] = num(s.fan_pct);
    f[p + 13 * S] = num(s.fan_rpm);
    f[p + 14 * S] = num(s.clock_core_mhz);
    f[p + 15 * S] = num(s.clock_mem_mhz);
    f[p + 16 * S] = num(s.util_pct);
    f[p + 17 * S] = num(s.stratum_latency_ms);
    f[p + 18 * S] = num(s.accepted_shares);
    f[p + 19 * S] = num(s.rejected_shares);
    f[p + 20 * S] = num(s.stale_shares);
    f[p + 21 * S] = num(s.diff_accepted);
    f[p + 22 * S] = num(s.diff_rejected);
    f[p + 23 * S] = num(s.diff_stale);
    f[p + 24 * S] = num(s.hw_errors);
    f[p + 25 * S] = num(s.energy_j);
    f[p + 26 * S] = num(s.throttle_flags);
  }
  return list.length;
}

/** KPI columns of the scores dataset; `reject_rate_ci95` is split into its low and high bounds. */
const KPI_COLUMNS = [
  'efficiency_h_per_j',
  'efficiency_j_per_th',
  'reject_rate',
  'reject_rate_ci95_low',
  'reject_rate_ci95_high',
  'shares_in_window',
  'thermal_headroom_c',
  'latency_budget_ms',
  'stability_index',
  'eff_norm',
  'hashrate_ratio',
] as const;

const SCORE_COLUMNS: readonly ColumnSpec[] = [
  ...KEY_COLUMNS,
  col('samples', 'int32', false),
  col('sep_score', 'double'),
  col('rupture_class', 'string'),
  col('lambda_hazard', 'double'),
  col('change_prob', 'double'),
  col('health_bit', 'int32', true),
  col('health_reasons', 'string'),
  ...KPI_COLUMNS.map((k) => col(k, 'double')),
  col('coherence', 'double'),
  col('stability', 'double'),
  col('entropy', 'double'),
  col('rupture', 'double'),
  col('channels_changing', 'string'),
  col('counter_resets', 'string'),
];

// Cells in SCORE_COLUMNS order (a test checks every column): numeric slots 0-20, string slots 0-5.
function appendScores(list: readonly ScoreTick[], t: RowTarget): number {
  const S = CHUNK_ROWS;
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    const k = x.kpis;
    const ci = k.reject_rate_ci95;
    const s = x.structure;
    const p = t.next();
    const f = t.num;
    const w = t.str;
    f[p] = x.ts;
    w[p] = x.rig;
    w[p + S] = x.device;
    f[p + S] = x.samples;
    f[p + 2 * S] = num(x.sep_score);
    w[p + 2 * S] = x.rupture_class;
    f[p + 3 * S] = num(x.lambda_hazard);
    f[p + 4 * S] = num(x.change_prob);
    f[p + 5 * S] = x.health_bit ?? Number.NaN;
    w[p + 3 * S] = joined(x.health_reasons);
    f[p + 6 * S] = num(k.efficiency_h_per_j);
    f[p + 7 * S] = num(k.efficiency_j_per_th);
    f[p + 8 * S] = num(k.reject_rate);
    f[p + 9 * S] = ci === null ? Number.NaN : num(ci[0]);
    f[p + 10 * S] = ci === null ? Number.NaN : num(ci[1]);
    f[p + 11 * S] = num(k.shares_in_window);
    f[p + 12 * S] = num(k.thermal_headroom_c);
    f[p + 13 * S] = num(k.latency_budget_ms);
    f[p + 14 * S] = num(k.stability_index);
    f[p + 15 * S] = num(k.eff_norm);
    f[p + 16 * S] = num(k.hashrate_ratio);
    f[p + 17 * S] = s === null ? Number.NaN : num(s.coherence);
    f[p + 18 * S] = s === null ? Number.NaN : num(s.stability);
    f[p + 19 * S] = s === null ? Number.NaN : num(s.entropy);
    f[p + 20 * S] = s === null ? Number.NaN : num(s.rupture);
    w[p + 4 * S] = joined(x.channels_changing);
    w[p + 5 * S] = joined(x.counter_resets);
  }
  return list.length;
}

const EVENT_COLUMNS: readonly ColumnSpec[] = [
  ...KEY_COLUMNS,
  col('ts_start', 'timestamp'),
  col('class', 'string'),
  col('channels', 'string'),
  col('hazard', 'double'),
];

function appendEvents(list: readonly RuptureEvent[], t: RowTarget): number {
  const S = CHUNK_ROWS;
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    const p = t.next();
    const f = t.num;
    const w = t.str;
    f[p] = e.ts_detected;
    w[p] = e.rig;
    w[p + S] = e.device;
    f[p + S] = e.ts_start;
    w[p + 2 * S] = e.class;
    w[p + 3 * S] = joined(e.channels);
    f[p + 2 * S] = num(e.hazard);
  }
  return list.length;
}

/** The datasets by name. Every dataset's `ts` is its partition time (events: the detection time). */
export const DATASETS: Readonly<Record<DatasetName, DatasetSpec>> = {
  snapshots: {
    name: 'snapshots',
    columns: SNAPSHOT_COLUMNS,
    append: (batch, t) => appendSnapshots(batch.snapshots, t),
  },
  scores: {
    name: 'scores',
    columns: SCORE_COLUMNS,
    append: (batch, t) => appendScores(batch.scores, t),
  },
  events: {
    name: 'events',
    columns: EVENT_COLUMNS,
    append: (batch, t) => appendEvents(batch.events, t),
  },
};

/** Key-value metadata written into every file. */
export function fileMetadata(dataset: DatasetName): { key: string; value: string }[] {
  return [
    { key: SCHEMA_VERSION_KEY, value: String(SCHEMA_VERSION) },
    { key: 'rigtune_dataset', value: dataset },
  ];
}
