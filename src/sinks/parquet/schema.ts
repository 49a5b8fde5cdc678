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

/** Where a dataset appends cells: one per column, in `columns` order (a plain array works too). */
export interface CellSink {
  push(value: Cell): unknown;
}

/** A dataset: its columns (ts, rig, device first) and the rows a batch contributes. */
export interface DatasetSpec {
  readonly name: DatasetName;
  readonly columns: readonly ColumnSpec[];
  /** Appends this batch's rows, one cell per column in `columns` order; returns the rows added. */
  append(batch: RigTickBatch, columns: readonly CellSink[]): number;
}

/** Parquet key-value metadata key holding SCHEMA_VERSION (and `rigtune_dataset` the dataset name). */
export const SCHEMA_VERSION_KEY = 'rigtune_schema_version';

const col = (name: string, type: ColumnType, nullable = type === 'double'): ColumnSpec => ({
  name,
  type,
  nullable,
});
const KEY_COLUMNS = [col('ts', 'timestamp'), col('rig', 'string'), col('device', 'string')];

function num(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const SNAPSHOT_COLUMNS: readonly ColumnSpec[] = [
  ...KEY_COLUMNS,
  ...NUMERIC_FIELDS.map((f) => col(f, 'double')),
];

// Field by field, in NUMERIC_FIELDS order (a test checks the order): named property reads cost a
// fifth of a loop over the field names (keyed loads), and this runs for every device every tick.
function appendSnapshot(s: Snapshot, c: readonly CellSink[]): void {
  c[0].push(s.ts);
  c[1].push(s.rig);
  c[2].push(s.device);
  c[3].push(num(s.hashrate_5s));
  c[4].push(num(s.hashrate_1m));
  c[5].push(num(s.hashrate_expected));
  c[6].push(num(s.power_w));
  c[7].push(num(s.power_limit_w));
  c[8].push(num(s.temp_core_c));
  c[9].push(num(s.temp_mem_c));
  c[10].push(num(s.temp_chip_max_c));
  c[11].push(num(s.temp_inlet_c));
  c[12].push(num(s.temp_outlet_c));
  c[13].push(num(s.temp_target_c));
  c[14].push(num(s.fan_pct));
  c[15].push(num(s.fan_rpm));
  c[16].push(num(s.clock_core_mhz));
  c[17].push(num(s.clock_mem_mhz));
  c[18].push(num(s.util_pct));
  c[19].push(num(s.stratum_latency_ms));
  c[20].push(num(s.accepted_shares));
  c[21].push(num(s.rejected_shares));
  c[22].push(num(s.stale_shares));
  c[23].push(num(s.diff_accepted));
  c[24].push(num(s.diff_rejected));
  c[25].push(num(s.diff_stale));
  c[26].push(num(s.hw_errors));
  c[27].push(num(s.energy_j));
  c[28].push(num(s.throttle_flags));
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

function appendScore(t: ScoreTick, c: readonly CellSink[]): void {
  const k = t.kpis;
  const ci = k.reject_rate_ci95;
  const s = t.structure;
  let i = 0;
  c[i++].push(t.ts);
  c[i++].push(t.rig);
  c[i++].push(t.device);
  c[i++].push(t.samples);
  c[i++].push(num(t.sep_score));
  c[i++].push(t.rupture_class);
  c[i++].push(num(t.lambda_hazard));
  c[i++].push(num(t.change_prob));
  c[i++].push(t.health_bit);
  c[i++].push(t.health_reasons.join(','));
  c[i++].push(num(k.efficiency_h_per_j));
  c[i++].push(num(k.efficiency_j_per_th));
  c[i++].push(num(k.reject_rate));
  c[i++].push(ci === null ? null : num(ci[0]));
  c[i++].push(ci === null ? null : num(ci[1]));
  c[i++].push(num(k.shares_in_window));
  c[i++].push(num(k.thermal_headroom_c));
  c[i++].push(num(k.latency_budget_ms));
  c[i++].push(num(k.stability_index));
  c[i++].push(num(k.eff_norm));
  c[i++].push(num(k.hashrate_ratio));
  c[i++].push(s === null ? null : num(s.coherence));
  c[i++].push(s === null ? null : num(s.stability));
  c[i++].push(s === null ? null : num(s.entropy));
  c[i++].push(s === null ? null : num(s.rupture));
  c[i++].push(t.channels_changing.join(','));
  c[i++].push(t.counter_resets.join(','));
}

const EVENT_COLUMNS: readonly ColumnSpec[] = [
  ...KEY_COLUMNS,
  col('ts_start', 'timestamp'),
  col('class', 'string'),
  col('channels', 'string'),
  col('hazard', 'double'),
];

function appendEvent(e: RuptureEvent, c: readonly CellSink[]): void {
  c[0].push(e.ts_detected);
  c[1].push(e.rig);
  c[2].push(e.device);
  c[3].push(e.ts_start);
  c[4].push(e.class);
  c[5].push(e.channels.join(','));
  c[6].push(num(e.hazard));
}

/** The datasets by name. Every dataset's `ts` is its partition time (events: the detection time). */
export const DATASETS: Readonly<Record<DatasetName, DatasetSpec>> = {
  snapshots: {
    name: 'snapshots',
    columns: SNAPSHOT_COLUMNS,
    append(batch, c) {
      for (const s of batch.snapshots) appendSnapshot(s, c);
      return batch.snapshots.length;
    },
  },
  scores: {
    name: 'scores',
    columns: SCORE_COLUMNS,
    append(batch, c) {
      for (const t of batch.scores) appendScore(t, c);
      return batch.scores.length;
    },
  },
  events: {
    name: 'events',
    columns: EVENT_COLUMNS,
    append(batch, c) {
      for (const e of batch.events) appendEvent(e, c);
      return batch.events.length;
    },
  },
};

/** Key-value metadata written into every file. */
export function fileMetadata(dataset: DatasetName): { key: string; value: string }[] {
  return [
    { key: SCHEMA_VERSION_KEY, value: String(SCHEMA_VERSION) },
    { key: 'rigtune_dataset', value: dataset },
  ];
}
