// Public face of sinks/parquet: the Parquet history (snapshots, scores, events; hive-partitioned by
// UTC date) and the HistoryReader the HTTP API serves `/api/rigs/:rig/history` from.

import { RigtuneError } from '../../core/errors.ts';
import { type ParquetOptionsInput, ParquetOptionsSchema } from './options.ts';
import { ParquetSink, type ParquetSinkDeps } from './sink.ts';

export const kind = 'parquet';
export const optionsSchema = ParquetOptionsSchema;
export {
  createParquetHistory,
  HISTORY_FIELDS,
  type LiveRows,
  MAX_HISTORY_LIMIT,
  ParquetHistory,
  type ParquetHistoryOptions,
  validateHistoryQuery,
} from './history.ts';
export { MARKER_COLUMNS, MARKERS_DATASET, type MarkerRow, MarkerWriter } from './markers.ts';
export type { ParquetOptions, ParquetOptionsInput } from './options.ts';
export { DATASET_NAMES, DATASETS, type DatasetName, SCHEMA_VERSION_KEY } from './schema.ts';
export { ParquetSink, type ParquetSinkDeps } from './sink.ts';

/** Validates `options` (RT_CONFIG_INVALID naming the option) and builds the sink; startup runs in the background. */
export function create(options: ParquetOptionsInput, deps: ParquetSinkDeps): ParquetSink {
  const result = ParquetOptionsSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.map(String).join('.');
    const field = path === '' ? kind : `${kind}.${path}`;
    throw new RigtuneError('RT_CONFIG_INVALID', `${field}: ${issue.message}`, { field });
  }
  return new ParquetSink(result.data, deps);
}
