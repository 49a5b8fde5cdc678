// Public face of sinks/embedded: the in-process latest-state store and pub/sub that serves the HTTP API
// when no Valkey is configured (the demo's default). No library.

import { RigtuneError } from '../../core/errors.ts';
import { type EmbeddedOptionsInput, EmbeddedOptionsSchema } from './options.ts';
import { EmbeddedStore, type EmbeddedStoreDeps } from './store.ts';

export const kind = 'embedded';
export const optionsSchema = EmbeddedOptionsSchema;
export type { EmbeddedOptions, EmbeddedOptionsInput } from './options.ts';
export { type EmbeddedLogger, type EmbeddedStats, EmbeddedStore, type EmbeddedStoreDeps } from './store.ts';

/** Validates `options` (RT_CONFIG_INVALID naming the option) and builds the store. */
export function create(options: EmbeddedOptionsInput = {}, deps: EmbeddedStoreDeps = {}): EmbeddedStore {
  const result = EmbeddedOptionsSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.map(String).join('.');
    const field = path === '' ? kind : `${kind}.${path}`;
    throw new RigtuneError('RT_CONFIG_INVALID', `${field}: ${issue.message}`, { field });
  }
  return new EmbeddedStore(result.data, deps);
}
