// Public face of sources/trex: reads T-Rex's `/summary` into a rig-total snapshot and one snapshot
// per GPU (device = PCI bus id from `pci_bus`/`pci_domain`/`pci_id`).

import type { Source } from '../../core/source.ts';
import { parseOptions, type SourceDeps } from '../common/index.ts';
import { type TrexOptionsInput, TrexOptionsSchema } from './options.ts';
import { createTrexSource } from './source.ts';

export const kind = 'trex';
export const optionsSchema = TrexOptionsSchema;
export { busIdOfGpu, mapTrex, sniffSummary } from './map.ts';
export type { TrexOptions, TrexOptionsInput } from './options.ts';

/** Validates `options` (RT_CONFIG_INVALID on error) and builds the source. */
export function create(options: TrexOptionsInput, deps: SourceDeps): Source {
  return createTrexSource(parseOptions(TrexOptionsSchema, options, kind), deps);
}
