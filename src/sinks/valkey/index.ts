// Public face of sinks/valkey: latest state, pub/sub and streams in Valkey/Redis, pipelined per tick,
// spooled to disk in order while the server is down or slow and replayed without duplicates.

import { RigtuneError } from '../../core/errors.ts';
import { type ValkeyOptionsInput, ValkeyOptionsSchema } from './options.ts';
import { ValkeySink } from './sink.ts';
import type { ValkeySinkDeps } from './types.ts';

export const kind = 'valkey';
export const optionsSchema = ValkeyOptionsSchema;
export { type AdviceKeys, adviceItem } from './advice.ts';
export { controlJson, encodeControl, type Item, keyNames, StreamIds } from './encode.ts';
export type { ValkeyOptions, ValkeyOptionsInput } from './options.ts';
export { APPLY_SCRIPT, parseApplyReply } from './script.ts';
export { ValkeySink } from './sink.ts';
export type { ValkeySinkDeps, ValkeySinkOptions, ValkeyStats } from './types.ts';

/** The environment `url_env` is read from (default: process.env). */
export interface ValkeyCreateDeps extends ValkeySinkDeps {
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const URL_PATTERN = /^(redis|rediss|valkey|valkeys):\/\/\S+$/;

function invalid(path: string, message: string): RigtuneError {
  const field = path === '' ? kind : `${kind}.${path}`;
  return new RigtuneError('RT_CONFIG_INVALID', `${field}: ${message}`, { field });
}

/**
 * Validates `options`, resolves the URL (`url`, else the variable named by `url_env`) and builds the
 * sink; connecting and opening the spool run in the background. Throws RT_CONFIG_INVALID naming the
 * option (the URL itself is never put in the message: it may hold a password).
 */
export function create(options: ValkeyOptionsInput, deps: ValkeyCreateDeps): ValkeySink {
  const result = ValkeyOptionsSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalid(issue.path.map(String).join('.'), issue.message);
  }
  const o = result.data;
  let url = o.url;
  if (url === undefined) {
    if (o.url_env === undefined || o.url_env === null) throw invalid('', 'expected url or url_env');
    url = (deps.env ?? process.env)[o.url_env];
    if (url === undefined || url === '')
      throw invalid('url_env', `environment variable ${o.url_env} is not set`);
    if (!URL_PATTERN.test(url))
      throw invalid('url_env', `${o.url_env} does not hold a redis:// or rediss:// URL`);
  }
  try {
    new URL(url);
  } catch {
    throw invalid(o.url === undefined ? 'url_env' : 'url', 'expected a redis:// or rediss:// URL');
  }
  return new ValkeySink({ ...o, url }, deps);
}
