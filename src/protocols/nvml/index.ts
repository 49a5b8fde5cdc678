// Public face of protocols/nvml: a read-only NVML client over koffi (the only place koffi is used),
// its reading types and the NVML constants callers need to interpret them.

export { FIELD_VALUE_LAYOUT, NVML_SYMBOLS, type NvmlSymbol } from './bindings.ts';
export { NvmlCallError } from './calls.ts';
export {
  NvmlClient,
  type NvmlEnumeration,
  type NvmlOpenOptions,
  type NvmlReadOptions,
  type NvmlSkippedDevice,
} from './client.ts';
export {
  CLOCK_EVENT_REASONS,
  DEFAULT_NVML_LIBRARY,
  NVML_FI_DEV_MEMORY_TEMP,
  NVML_RETURN,
  nvmlReturnName,
} from './constants.ts';
export type {
  NvmlDevice,
  NvmlDeviceReading,
  NvmlIssue,
  NvmlPciLocation,
  NvmlSystemVersions,
} from './types.ts';
