// `rigtune doctor`'s data directory check: the directory exists (or can be created), a file can be
// written there, and the disk under it has room for the history, audit log and spools.

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type CheckResult, errnoOf, formatBytes, messageOf } from './types.ts';

/** Free space below this is a warning: a day of a large fleet's history. */
export const LOW_SPACE_BYTES = 1024 ** 3;
/** Free space below this is a failure: the next Parquet file may not fit. */
export const NO_SPACE_BYTES = 64 * 1024 ** 2;

/** The directory itself or its nearest existing ancestor, and whether it is the directory itself. */
async function nearestExisting(dir: string): Promise<{ path: string; exists: boolean; isDir: boolean }> {
  let path = resolve(dir);
  for (;;) {
    try {
      const s = await stat(path);
      return { path, exists: path === resolve(dir), isDir: s.isDirectory() };
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT' && errnoOf(err) !== 'ENOTDIR') throw err;
      const parent = dirname(path);
      if (parent === path) throw err;
      path = parent;
    }
  }
}

/** Why a path cannot be written, in words. */
function whyNotWritable(code: string | undefined): string {
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOSPC') return 'no space left';
  return code ?? 'error';
}

/** Free bytes for unprivileged writers on the file system holding `path`. */
async function freeBytes(path: string): Promise<number> {
  const s = await statfs(path);
  return s.bavail * s.bsize;
}

/** Checks `dir` (the config's data_dir); never throws. */
export async function checkDataDir(dir: string): Promise<CheckResult> {
  const check = 'data dir';
  const abs = resolve(dir);
  try {
    const found = await nearestExisting(abs);
    if (!found.isDir)
      return {
        check,
        status: 'fail',
        message: `${found.path} is a file, not a directory: set data_dir (or --data) to a directory`,
        details: { path: abs },
      };
    if (!found.exists) {
      try {
        await access(found.path, constants.W_OK | constants.X_OK);
      } catch (err) {
        return {
          check,
          status: 'fail',
          message:
            `${abs} does not exist and cannot be created: ${found.path} is not writable ` +
            `(${whyNotWritable(errnoOf(err))}); create it for the service's user or pick another data_dir`,
          details: { path: abs, parent: found.path, error: errnoOf(err) ?? messageOf(err) },
        };
      }
    } else {
      const probe = `${abs}/.rigtune-doctor-${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(probe, 'rigtune doctor write test\n');
      } catch (err) {
        return {
          check,
          status: 'fail',
          message:
            `${abs} is not writable (${whyNotWritable(errnoOf(err))}): the Parquet history, audit log and ` +
            "spools cannot be written; fix its permissions for the service's user or pick another data_dir",
          details: { path: abs, error: errnoOf(err) ?? messageOf(err) },
        };
      } finally {
        await rm(probe, { force: true });
      }
    }
    const free = await freeBytes(found.path);
    const details = { path: abs, exists: found.exists, free_bytes: free };
    const where = found.exists ? `${abs} is writable` : `${abs} will be created (${found.path} is writable)`;
    if (free < NO_SPACE_BYTES)
      return {
        check,
        status: 'fail',
        message: `${where} but only ${formatBytes(free)} is free: history files will not fit; free some space`,
        details,
      };
    if (free < LOW_SPACE_BYTES)
      return {
        check,
        status: 'warn',
        message: `${where}; only ${formatBytes(free)} free: lower the Parquet retention or free some space`,
        details,
      };
    return { check, status: 'ok', message: `${where}; ${formatBytes(free)} free`, details };
  } catch (err) {
    return {
      check,
      status: 'fail',
      message: `${abs} cannot be checked: ${messageOf(err)}`,
      details: { path: abs, error: errnoOf(err) ?? messageOf(err) },
    };
  }
}
