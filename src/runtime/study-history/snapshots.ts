// Loads the study's samples from the Parquet snapshot history with DuckDB: only its devices, its time
// range and the columns the analysis reads, ordered by device then time, as StudySample rows.

import { RigtuneError } from '../../core/errors.ts';
import { STUDY_SAMPLE_FIELDS, type StudySample, type StudySampleField } from '../../study/aba/index.ts';
import type { HistoryDb } from './duckdb.ts';
import { listDatasetFiles, readParquetSql, sqlString } from './files.ts';

/** A device of a study. */
export interface DeviceKey {
  readonly rig: string;
  readonly device: string;
}

export interface SnapshotQuery {
  readonly dataDir: string;
  readonly devices: readonly DeviceKey[];
  /** Inclusive bounds, epoch ms; null = open. */
  readonly fromMs: number | null;
  readonly toMs: number | null;
  /** Columns besides ts, rig and device; default STUDY_SAMPLE_FIELDS. */
  readonly fields?: readonly StudySampleField[];
}

/** The rows and where they came from. */
export interface LoadedSnapshots {
  readonly rows: StudySample[];
  /** Parquet files read (the partitions overlapping the range). */
  readonly files: readonly string[];
  /** Rows per `rig/device`. */
  readonly rowsPerDevice: Readonly<Record<string, number>>;
  /** Columns that no file holds (left out of the rows). */
  readonly missingFields: readonly string[];
}

async function presentColumns(db: HistoryDb, source: string, file: string): Promise<Set<string>> {
  const cols = await db.columns(`DESCRIBE SELECT * FROM ${source}`, 'the snapshot history schema', file);
  return new Set((cols.column_name ?? []).map(String));
}

/**
 * Reads the snapshot rows of `devices` in [fromMs, toMs]. Throws RT_INPUT_NOT_FOUND when the history
 * has no snapshot partition (or none in the range), RT_INPUT_FORMAT when DuckDB cannot read the files
 * or they lack ts/rig/device.
 */
export async function loadSnapshots(db: HistoryDb, q: SnapshotQuery): Promise<LoadedSnapshots> {
  const listing = await listDatasetFiles(
    q.dataDir,
    'snapshots',
    q.fromMs,
    q.toMs,
    'the Parquet sink writes them while `rigtune run` records; is --data the right folder?',
  );
  if (listing.files.length === 0) {
    throw new RigtuneError(
      'RT_INPUT_NOT_FOUND',
      "no snapshot files for the study's time range" +
        (listing.dates.length === 0
          ? ''
          : ` (partitions present: ${listing.dates[0]} … ${listing.dates.at(-1)})`),
      { file: listing.dir },
    );
  }
  const source = readParquetSql(listing.files);
  const present = await presentColumns(db, source, listing.dir);
  for (const key of ['ts', 'rig', 'device']) {
    if (!present.has(key))
      throw new RigtuneError('RT_INPUT_FORMAT', `snapshot files lack the '${key}' column`, {
        file: listing.dir,
        field: key,
      });
  }
  const wanted = q.fields ?? STUDY_SAMPLE_FIELDS;
  const fields = wanted.filter((f) => present.has(f));
  const missingFields = wanted.filter((f) => !present.has(f));
  const where: string[] = [];
  if (q.devices.length > 0) {
    const pairs = q.devices.map((d) => `(${sqlString(d.rig)}, ${sqlString(d.device)})`).join(', ');
    where.push(`(rig, device) IN (VALUES ${pairs})`);
  }
  // Compare on the TIMESTAMP column itself so DuckDB can skip row groups by their ts statistics.
  if (q.fromMs !== null) where.push(`ts >= epoch_ms(${Math.floor(q.fromMs)}::BIGINT)`);
  if (q.toMs !== null) where.push(`ts <= epoch_ms(${Math.ceil(q.toMs)}::BIGINT)`);
  const select = [
    'epoch_ms(ts)::DOUBLE AS ts',
    'rig::VARCHAR AS rig',
    'device::VARCHAR AS device',
    ...fields.map((f) => `"${f}"::DOUBLE AS "${f}"`),
  ].join(', ');
  const sql =
    `SELECT ${select} FROM ${source}` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ' ORDER BY rig, device, ts';
  const cols = await db.columns(sql, 'the snapshot history', listing.dir);
  const ts = cols.ts as number[];
  const rigs = cols.rig as string[];
  const devices = cols.device as string[];
  const rows: StudySample[] = new Array(ts.length);
  const rowsPerDevice: Record<string, number> = {};
  for (let i = 0; i < ts.length; i += 1) {
    const row: Record<string, unknown> = { ts: ts[i], rig: rigs[i], device: devices[i] };
    for (const f of fields) {
      const v = cols[f][i];
      row[f] = typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
    rows[i] = row as StudySample;
    const key = `${rigs[i]}/${devices[i]}`;
    rowsPerDevice[key] = (rowsPerDevice[key] ?? 0) + 1;
  }
  return { rows, files: listing.files, rowsPerDevice, missingFields };
}
