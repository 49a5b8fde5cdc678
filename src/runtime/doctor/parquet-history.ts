// `rigtune doctor`'s history check: the Parquet files under the history directory are counted per
// dataset and the newest ones are opened (footer and schema version), so a damaged file is found first.

import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { DATASET_NAMES, SCHEMA_VERSION_KEY } from '../../sinks/parquet/index.ts';
import { type CheckResult, errnoOf, messageOf, plural } from './types.ts';

/** Newest files opened at most (the rest are only counted), to keep the check quick on a full disk. */
export const MAX_FILES_OPENED = 200;

interface Found {
  readonly path: string;
  readonly mtimeMs: number;
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return [];
    throw err;
  }
}

/** `<dir>/<dataset>/date=…/*.parquet`, and the temp files of writes a crash interrupted. */
async function listHistory(dir: string): Promise<{ files: Map<string, Found[]>; temps: number }> {
  const files = new Map<string, Found[]>();
  let temps = 0;
  for (const dataset of DATASET_NAMES) {
    const list: Found[] = [];
    for (const part of (await names(join(dir, dataset))).filter((n) => n.startsWith('date='))) {
      for (const name of await names(join(dir, dataset, part))) {
        if (name.endsWith('.tmp')) temps += 1;
        if (!name.endsWith('.parquet')) continue;
        const path = join(dir, dataset, part, name);
        list.push({ path, mtimeMs: (await stat(path)).mtimeMs });
      }
    }
    files.set(dataset, list);
  }
  return { files, temps };
}

/** Opens one file's footer; returns its schema version text (null when absent). */
async function openFooter(path: string): Promise<string | null> {
  const meta = await parquetMetadataAsync(await asyncBufferFromFile(path));
  return meta.key_value_metadata?.find((kv) => kv.key === SCHEMA_VERSION_KEY)?.value ?? null;
}

/** Checks the Parquet history under `dir` (the parquet sink's data_dir); never throws. */
export async function checkParquetHistory(dir: string): Promise<CheckResult> {
  const check = 'history';
  const abs = resolve(dir);
  try {
    const { files, temps } = await listHistory(abs);
    const all = [...files.values()].flat().sort((a, b) => b.mtimeMs - a.mtimeMs);
    const counts = Object.fromEntries([...files].map(([d, l]) => [d, l.length]));
    if (all.length === 0)
      return {
        check,
        status: 'ok',
        message: `no Parquet history under ${abs} yet`,
        details: { path: abs, files: 0, counts, temp_files: temps },
      };
    const opened = all.slice(0, MAX_FILES_OPENED);
    const broken: { path: string; error: string }[] = [];
    const versions = new Set<string>();
    for (const f of opened) {
      try {
        versions.add((await openFooter(f.path)) ?? 'none');
      } catch (err) {
        broken.push({ path: f.path, error: messageOf(err) });
      }
    }
    const newest = all[0];
    const details = {
      path: abs,
      files: all.length,
      counts,
      opened: opened.length,
      newest: newest.path,
      newest_mtime_ms: Math.round(newest.mtimeMs),
      schema_versions: [...versions].sort(),
      unreadable: broken,
      temp_files: temps,
    };
    const summary =
      `${plural(all.length, 'Parquet file')} (${[...files].map(([d, l]) => `${d} ${l.length}`).join(', ')}), ` +
      `newest ${newest.path} (${new Date(newest.mtimeMs).toISOString().slice(0, 16)}Z)`;
    if (broken.length > 0)
      return {
        check,
        status: 'fail',
        message:
          `${plural(broken.length, 'file')} of the ${opened.length} newest cannot be read ` +
          `(${broken[0].path}: ${broken[0].error}): history queries over them fail; move them aside. ${summary}`,
        details,
      };
    const tempNote =
      temps > 0
        ? `; ${plural(temps, 'temp file')} of an interrupted write (the service tidies them at start)`
        : '';
    return {
      check,
      status: 'ok',
      message: `${summary}; the ${opened.length} newest open cleanly${tempNote}`,
      details,
    };
  } catch (err) {
    return {
      check,
      status: 'fail',
      message: `the history under ${abs} cannot be listed: ${messageOf(err)}`,
      details: { path: abs, error: errnoOf(err) ?? messageOf(err) },
    };
  }
}
