// Public face of sources/gminer: reads `/stat` of GMiner or Rigel (a dialect: same endpoint, other
// shape) into a rig-total snapshot and one snapshot per GPU (device = PCI bus id).

import type { Source } from '../../core/source.ts';
import { parseOptions, type SourceDeps } from '../common/index.ts';
import { type GminerOptionsInput, GminerOptionsSchema } from './options.ts';
import { createGminerSource } from './source.ts';

export const kind = 'gminer';
export const optionsSchema = GminerOptionsSchema;
export { mapStat, type StatDialect, sniffDialect } from './map.ts';
export type { GminerOptions, GminerOptionsInput } from './options.ts';

/** Validates `options` (RT_CONFIG_INVALID on error) and builds the source. */
export function create(options: GminerOptionsInput, deps: SourceDeps): Source {
  return createGminerSource(parseOptions(GminerOptionsSchema, options, kind), deps);
}
