// The on-disk layout of the history: `<data_dir>/<dataset>/date=YYYY-MM-DD/part-<start>-<seq>.parquet`,
// listing by date, stray temp files of a crashed writer, and retention by age and total size.

import { readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const DAY_MS = 86_400_000;
const FILE_RE = /^part-(\d{13})-(\d{6,})\.parquet$/;
const DATE_DIR_RE = /^date=(\d{4}-\d{2}-\d{2})$/;
/** Temp names of durable/'s AtomicFileWriter: `.<name>.<pid>.<random>.tmp`. */
const TEMP_RE = /^\.(part-\d{13}-\d{6,}\.parquet)\.\d+\.[0-9a-f]+\.tmp$/;

/** One committed data file. */
export interface DataFile {
  readonly path: string;
  /** Partition date, `YYYY-MM-DD` (UTC). */
  readonly date: string;
  /** Smallest `ts` in the file, epoch ms. */
  readonly startMs: number;
  readonly seq: number;
}

/** `part-<start ms, 13 digits>-<seq, 6+ digits>.parquet`: names sort by start time. */
export function fileName(startMs: number, seq: number): string {
  return `part-${String(startMs).padStart(13, '0')}-${String(seq).padStart(6, '0')}.parquet`;
}

export function partitionDir(dataDir: string, dataset: string, date: string): string {
  return join(dataDir, dataset, `date=${date}`);
}

/** Epoch ms of the start of a `YYYY-MM-DD` UTC date. */
export function dateStartMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    // A dataset or partition that does not exist (yet) simply holds no files.
    if ((err as { code?: string }).code === 'ENOENT') return [];
    throw err;
  }
}

/** Partition dates of a dataset, oldest first, optionally only those overlapping [fromMs, toMs]. */
export async function listDates(
  dataDir: string,
  dataset: string,
  fromMs?: number,
  toMs?: number,
): Promise<string[]> {
  const dates: string[] = [];
  for (const name of await entries(join(dataDir, dataset))) {
    const m = DATE_DIR_RE.exec(name);
    if (m === null) continue;
    const start = dateStartMs(m[1]);
    if (Number.isNaN(start)) continue;
    if (fromMs !== undefined && start + DAY_MS <= fromMs) continue;
    if (toMs !== undefined && start > toMs) continue;
    dates.push(m[1]);
  }
  return dates.sort();
}

/** Committed files of a dataset in the partitions overlapping [fromMs, toMs], by date then start time. */
export async function listFiles(
  dataDir: string,
  dataset: string,
  fromMs?: number,
  toMs?: number,
): Promise<DataFile[]> {
  const out: DataFile[] = [];
  for (const date of await listDates(dataDir, dataset, fromMs, toMs)) {
    const dir = partitionDir(dataDir, dataset, date);
    const names = (await entries(dir)).filter((n) => FILE_RE.test(n)).sort();
    for (const name of names) {
      const m = FILE_RE.exec(name) as RegExpExecArray;
      out.push({ path: join(dir, name), date, startMs: Number(m[1]), seq: Number(m[2]) });
    }
  }
  return out;
}

/** What startup found of a crashed writer. */
export interface TempCleanup {
  /** Complete temp files renamed to their final name. */
  readonly recovered: readonly string[];
  /** Incomplete (or duplicate) temp files deleted. */
  readonly removed: readonly string[];
  /** Next free file sequence number. */
  readonly nextSeq: number;
}

/**
 * Deals with the temp files a crashed writer left: one that `isComplete` accepts (fsynced before the
 * crash, not yet renamed) gets its final name; any other is deleted. Also finds the next free seq.
 */
export async function cleanTempFiles(
  dataDir: string,
  datasets: readonly string[],
  isComplete: (path: string) => Promise<boolean>,
): Promise<TempCleanup> {
  const recovered: string[] = [];
  const removed: string[] = [];
  let maxSeq = -1;
  for (const dataset of datasets) {
    for (const date of await listDates(dataDir, dataset)) {
      const dir = partitionDir(dataDir, dataset, date);
      const names = await entries(dir);
      for (const name of names) {
        const file = FILE_RE.exec(name);
        if (file !== null) maxSeq = Math.max(maxSeq, Number(file[2]));
        const temp = TEMP_RE.exec(name);
        if (temp === null) continue;
        const target = join(dir, temp[1]);
        const path = join(dir, name);
        if (!names.includes(temp[1]) && (await isComplete(path))) {
          await rename(path, target);
          recovered.push(target);
          maxSeq = Math.max(maxSeq, Number((FILE_RE.exec(temp[1]) as RegExpExecArray)[2]));
        } else {
          await rm(path, { force: true });
          removed.push(path);
        }
      }
    }
  }
  return { recovered, removed, nextSeq: maxSeq + 1 };
}

/** Retention bounds; null = no bound. */
export interface Retention {
  readonly nowMs: number;
  readonly retentionDays: number | null;
  readonly maxTotalBytes: number | null;
}

/**
 * Deletes partitions whose whole day is older than `retentionDays`, then the oldest files (any
 * dataset) while all files together exceed `maxTotalBytes`. Returns the deleted files.
 */
export async function applyRetention(
  dataDir: string,
  datasets: readonly string[],
  r: Retention,
): Promise<string[]> {
  const deleted: string[] = [];
  const kept: Array<DataFile & { bytes: number }> = [];
  const cutoffMs = r.retentionDays === null ? Number.NEGATIVE_INFINITY : r.nowMs - r.retentionDays * DAY_MS;
  for (const dataset of datasets) {
    for (const file of await listFiles(dataDir, dataset)) {
      if (dateStartMs(file.date) + DAY_MS <= cutoffMs) {
        await rm(file.path, { force: true });
        deleted.push(file.path);
      } else if (r.maxTotalBytes !== null) {
        const bytes = await stat(file.path).then(
          (s) => s.size,
          () => 0,
        );
        kept.push({ ...file, bytes });
      }
    }
  }
  if (r.maxTotalBytes !== null) {
    kept.sort((a, b) => a.date.localeCompare(b.date) || a.startMs - b.startMs || a.seq - b.seq);
    let total = kept.reduce((sum, f) => sum + f.bytes, 0);
    for (const f of kept) {
      if (total <= r.maxTotalBytes) break;
      await rm(f.path, { force: true });
      deleted.push(f.path);
      total -= f.bytes;
    }
  }
  await removeEmptyPartitions(dataDir, datasets);
  return deleted;
}

async function removeEmptyPartitions(dataDir: string, datasets: readonly string[]): Promise<void> {
  for (const dataset of datasets) {
    for (const date of await listDates(dataDir, dataset)) {
      const dir = partitionDir(dataDir, dataset, date);
      if ((await entries(dir)).length === 0) {
        // Another writer may have just created a file here; then the folder stays, which is right.
        await rmdir(dir).catch(() => undefined);
      }
    }
  }
}
