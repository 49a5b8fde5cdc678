// Public face of sources/stratum: measures each pool's stratum v1 `mining.subscribe` round trip and
// emits it as `stratum_latency_ms` (device `pool:<host>:<port>`). Never authorizes or submits.

import type { Source } from '../../core/source.ts';
import { parseOptions } from '../common/index.ts';
import { type StratumOptionsInput, StratumOptionsSchema } from './options.ts';
import { createStratumSource, type StratumDeps } from './source.ts';

export const kind = 'stratum';
export const optionsSchema = StratumOptionsSchema;
export { mapProbes, type PoolOutcome, poolDevice } from './map.ts';
export type { StratumOptions, StratumOptionsInput } from './options.ts';
export type { StratumDeps } from './source.ts';

/** Validates `options` (RT_CONFIG_INVALID on error) and builds the source. */
export function create(options: StratumOptionsInput, deps: StratumDeps): Source {
  return createStratumSource(parseOptions(StratumOptionsSchema, options, kind), deps);
}
