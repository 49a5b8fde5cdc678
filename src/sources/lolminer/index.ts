// Public face of sources/lolminer: reads lolMiner's `/summary` (older and newer schema) into a
// rig-total snapshot and one snapshot per GPU (device = PCI bus id from `PCIE_Address`).

import type { Source } from '../../core/source.ts';
import { parseOptions, type SourceDeps } from '../common/index.ts';
import { type LolminerOptionsInput, LolminerOptionsSchema } from './options.ts';
import { createLolminerSource } from './source.ts';

export const kind = 'lolminer';
export const optionsSchema = LolminerOptionsSchema;
export { type LolminerSchema, mapLolminer, sniffSchema } from './map.ts';
export type { LolminerOptions, LolminerOptionsInput } from './options.ts';

/** Validates `options` (RT_CONFIG_INVALID on error) and builds the source. */
export function create(options: LolminerOptionsInput, deps: SourceDeps): Source {
  return createLolminerSource(parseOptions(LolminerOptionsSchema, options, kind), deps);
}
