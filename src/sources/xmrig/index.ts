// Public face of sources/xmrig: reads an XMRig miner's HTTP API (`/2/summary`, `/2/backends`) into
// a rig-total snapshot, a CPU snapshot and one snapshot per GPU (device = PCI bus id).

import type { Source } from '../../core/source.ts';
import { parseOptions, type SourceDeps } from '../common/index.ts';
import { type XmrigOptionsInput, XmrigOptionsSchema } from './options.ts';
import { createXmrigSource } from './source.ts';

export const kind = 'xmrig';
export const optionsSchema = XmrigOptionsSchema;
export { mapXmrig, sniffSummary, type XmrigReplies } from './map.ts';
export type { XmrigOptions, XmrigOptionsInput } from './options.ts';

/** Validates `options` (RT_CONFIG_INVALID on error) and builds the source. */
export function create(options: XmrigOptionsInput, deps: SourceDeps): Source {
  return createXmrigSource(parseOptions(XmrigOptionsSchema, options, kind), deps);
}
