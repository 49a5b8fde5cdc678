// Public face of sources/common: helpers the GPU-miner, stratum and http-json sources share. Imports
// only core, so a source folder may use it without pulling in another source (see README).

export {
  type JoinMatch,
  type JoinOptions,
  type JoinResult,
  joinByPciBusId,
  MINER_FIELDS,
  type UnmatchedDevice,
  type UnmatchedReason,
} from './gpu-join.ts';
export {
  emitResult,
  type MapResult,
  MapResultBuilder,
  type RawField,
  RIG_TOTAL_DEVICE,
} from './map-result.ts';
export { MappedSource, type ReadAndMap, resolveSecret, type SourceDeps } from './mapped-source.ts';
export { type OptionsSchema, parseOptions } from './parse-options.ts';
export { gpuDeviceName, normalizePciBusId, pciBusIdFromParts } from './pci-bus-id.ts';
export { hashrateFactor, scaled } from './rate-units.ts';
export {
  arrayOf,
  countOf,
  describeValue,
  differenceOf,
  endpointUrl,
  isRecord,
  type JsonRecord,
  meanOf,
  numberOf,
  positiveOf,
  recordOf,
  stringOf,
} from './values.ts';
