// Reads `rigtune.yaml` from disk (the one I/O of config) and re-reads it on SIGHUP, keeping the
// running configuration when the new file is bad.

import { readFileSync } from 'node:fs';
import { isRigtuneError, RigtuneError } from '../core/errors.ts';
import { type ConfigDiff, diffConfig } from './diff.ts';
import type { Env } from './env.ts';
import { parseConfigText } from './parse.ts';
import type { Config } from './types.ts';

export interface LoadOptions {
  /** Variables for `${ENV:NAME}`, `*_env` and `{ env: NAME }`. Default: process.env. */
  readonly env?: Env;
}

/**
 * Reads, validates and resolves the configuration file at `path` (synchronously: a few KB, read at
 * start and on SIGHUP). Relative paths inside the file stay relative to the working directory.
 * @throws RigtuneError RT_INPUT_NOT_FOUND when the file cannot be read; ConfigError
 *   (RT_CONFIG_INVALID) listing every problem with file:line:column.
 */
export function loadConfig(path: string, options: LoadOptions = {}): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new RigtuneError(
      'RT_INPUT_NOT_FOUND',
      `cannot read configuration file ${path} (${reason})`,
      { file: path },
      {
        cause: err,
      },
    );
  }
  return parseConfigText(text, path, options.env ?? process.env);
}

/** Outcome of a reload: the new config and what changed, or the error with the old config kept. */
export type ReloadResult =
  | { readonly ok: true; readonly config: Config; readonly diff: ConfigDiff }
  | { readonly ok: false; readonly config: Config; readonly error: RigtuneError };

/**
 * Re-reads `path` for a SIGHUP reload. A bad or unreadable file keeps `current` and returns the
 * error to report; programming errors (anything not a RigtuneError) are rethrown.
 */
export function reloadConfig(path: string, current: Config, options: LoadOptions = {}): ReloadResult {
  try {
    const config = loadConfig(path, options);
    return { ok: true, config, diff: diffConfig(current, config) };
  } catch (err) {
    if (!isRigtuneError(err)) throw err;
    return { ok: false, config: current, error: err };
  }
}
