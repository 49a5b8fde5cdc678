// Public face of sources/nvidia-smi: the fallback GPU reader where NVML cannot be loaded, a streaming
// `nvidia-smi --query-gpu … -lms N` child mapped to one snapshot per GPU per sample.

import type { Source } from '../../core/source.ts';
import { parseOptions, type SourceDeps } from '../common/index.ts';
import { type NvidiaSmiOptionsInput, NvidiaSmiOptionsSchema } from './options.ts';
import { NvidiaSmiSource } from './source.ts';

export const kind = 'nvidia-smi';
export const optionsSchema = NvidiaSmiOptionsSchema;
export { deviceIdOfRow, mapSmiRow, unitMismatches } from './map.ts';
export type { NvidiaSmiOptions, NvidiaSmiOptionsInput } from './options.ts';
export { NvidiaSmiSource, type NvidiaSmiStats } from './source.ts';

/** Validates `options` (RT_CONFIG_INVALID on error) and builds the source; starts nothing yet. */
export function create(options: NvidiaSmiOptionsInput, deps: SourceDeps): NvidiaSmiSource & Source {
  return new NvidiaSmiSource(parseOptions(NvidiaSmiOptionsSchema, options, kind), deps);
}
