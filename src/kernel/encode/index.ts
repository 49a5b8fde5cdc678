// Struct-bit encoder: per numeric channel the UP / ACCEL / RANGEEXP / ZPOS flag streams, either exactly
// as the pandas reference computes them (centred windows) or causally for live data (trailing windows).

export type { CausalEncoderOptions } from './causal.ts';
export {
  CAUSAL_DEFAULTS,
  CausalStructEncoder,
  encodeCausal,
  FLAG_ACCEL,
  FLAG_RANGEEXP,
  FLAG_UP,
  FLAG_ZPOS,
} from './causal.ts';
export type { ReferenceEncoding } from './reference.ts';
export {
  encodeReference,
  encodeReferenceDetailed,
  REFERENCE_MEDIAN_WINDOW,
  REFERENCE_SD_WINDOW,
  Z_EPSILON,
} from './reference.ts';
export type { FlagName, StructFlags, StructFlagsRow, StructIntermediates } from './types.ts';
export { FLAG_NAMES } from './types.ts';
export type { WindowMedianSlab } from './window-median.ts';
