// Public face of sources/nvml: reads the local NVIDIA GPUs through NVML (koffi FFI on
// libnvidia-ml.so.1) into one snapshot per GPU (device = canonical PCI bus id).

import type { Source } from '../../core/source.ts';
import { parseOptions, type SourceDeps } from '../common/index.ts';
import { type NvmlOptionsInput, NvmlOptionsSchema } from './options.ts';
import { NvmlSource } from './source.ts';

export const kind = 'nvml';
export const optionsSchema = NvmlOptionsSchema;
export { deviceIdOf, deviceInfoOf, mapNvmlReading } from './map.ts';
export type { NvmlOptions, NvmlOptionsInput } from './options.ts';
export { NVML_LIBRARY_ENV, NvmlSource } from './source.ts';

/** Validates `options` (RT_CONFIG_INVALID on error) and builds the source; opens nothing yet. */
export function create(options: NvmlOptionsInput, deps: SourceDeps): Source {
  return new NvmlSource(parseOptions(NvmlOptionsSchema, options, kind), deps);
}
