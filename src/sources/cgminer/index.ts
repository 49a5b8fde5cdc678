// Public face of sources/cgminer: reads ASICs over the cgminer-family TCP API (Antminer, Whatsminer,
// Braiins OS, LuxOS, generic cgminer) into a rig-total snapshot and one snapshot per hashboard.

import type { Source } from '../../core/source.ts';
import { parseOptions } from '../common/index.ts';
import { type CgminerOptionsInput, CgminerOptionsSchema } from './options.ts';
import { type CgminerSourceDeps, createCgminerSource } from './source.ts';

export const kind = 'cgminer';
export const optionsSchema = CgminerOptionsSchema;
export { detectDialect, type Identity } from './detect.ts';
export { commandsOf, DIALECT_NAMES, DIALECTS, type Dialect, type DialectName } from './dialects/index.ts';
export { type CgminerMapResult, type MapInput, mapCgminer } from './map.ts';
export type { CgminerOptions, CgminerOptionsInput } from './options.ts';
export type { CgminerSourceDeps } from './source.ts';

/** Validates `options` (RT_CONFIG_INVALID on error) and builds the source. */
export function create(options: CgminerOptionsInput, deps: CgminerSourceDeps): Source {
  return createCgminerSource(parseOptions(CgminerOptionsSchema, options, kind), deps);
}
