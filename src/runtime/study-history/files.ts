// Finds the Parquet files of a hive-partitioned dataset (`<data>/<dataset>/date=YYYY-MM-DD/*.parquet`)
// overlapping a time range, so DuckDB reads only those partitions and a missing history gets a clear error.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RigtuneError } from '../../core/errors.ts';

const DAY_MS = 86_400_000;
const DATE_DIR_RE = /^date=(\d{4}-\d{2}-\d{2})$/;

async function entries(dir: string): Promise<string[] | null> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT' || (err as { code?: string }).code === 'ENOTDIR')
      return null;
    throw new RigtuneError(
      'RT_INPUT_NOT_FOUND',
      `cannot read ${dir}: ${(err as Error).message}`,
      { file: dir },
      { cause: err },
    );
  }
}

/** What a dataset folder holds. */
export interface DatasetFiles {
  /** `<data>/<dataset>`. */
  readonly dir: string;
  /** Committed `.parquet` files (temp files of a writer, dot-names, are skipped) in the range, sorted. */
  readonly files: readonly string[];
  /** All `date=` partition dates present, oldest first (for error messages). */
  readonly dates: readonly string[];
}

/**
 * Parquet files of `<dataDir>/<dataset>/date=…/` whose UTC day overlaps [fromMs, toMs] (null = open).
 * Throws RT_INPUT_NOT_FOUND naming the folder (`hint`: what to do about it) when the dataset has no partition.
 */
export async function listDatasetFiles(
  dataDir: string,
  dataset: string,
  fromMs: number | null = null,
  toMs: number | null = null,
  hint = '',
): Promise<DatasetFiles> {
  const dir = join(dataDir, dataset);
  const names = ((await entries(dir)) ?? []).filter((n) => !n.startsWith('.')).sort();
  const dates: string[] = [];
  const files: string[] = [];
  let partitions = 0;
  for (const name of names) {
    const date = DATE_DIR_RE.exec(name)?.[1];
    const start = date === undefined ? Number.NaN : Date.parse(`${date}T00:00:00Z`);
    if (!Number.isNaN(start)) dates.push(date as string);
    const inPart = await entries(join(dir, name));
    if (inPart === null) continue; // a plain file beside the partitions
    partitions += 1;
    // Partitions not named by date (another hive key) cannot be pruned by time: read them all.
    if (!Number.isNaN(start) && fromMs !== null && start + DAY_MS <= fromMs) continue;
    if (!Number.isNaN(start) && toMs !== null && start > toMs) continue;
    for (const file of inPart.sort()) {
      if (file.endsWith('.parquet') && !file.startsWith('.')) files.push(join(dir, name, file));
    }
  }
  if (partitions === 0) {
    throw new RigtuneError(
      'RT_INPUT_NOT_FOUND',
      `no ${dataset} history: no date=YYYY-MM-DD/*.parquet partitions in this folder${hint === '' ? '' : ` (${hint})`}`,
      { file: dir },
    );
  }
  return { dir, files, dates };
}

/** A SQL string literal (single quotes doubled). */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** `read_parquet([...], hive_partitioning=true, union_by_name=true)` over the given files. */
export function readParquetSql(files: readonly string[], withFilename = false): string {
  const list = files.map(sqlString).join(', ');
  return `read_parquet([${list}], hive_partitioning=true, union_by_name=true${withFilename ? ', filename=true' : ''})`;
}
