// Shapes shared by the reference (pandas-exact) and causal (live) struct-bit encoders.
// Flags are 0/1 bytes per row so whole series stay compact and can be handed to the QFH kernel.

/** The four struct-bit flag streams of one numeric channel, one byte (0 or 1) per row. */
export interface StructFlags {
  /** 1 where x rose against the previous row (dx > 0). */
  readonly up: Uint8Array;
  /** 1 where the rise accelerated (ddx > 0). */
  readonly accel: Uint8Array;
  /** 1 where the rolling median absolute deviation grew (ddev > 0). */
  readonly rangeexp: Uint8Array;
  /** 1 where x lies above its rolling median (z > 0). */
  readonly zpos: Uint8Array;
}

/** Flag names in output column order (`<col>__UP`, `__ACCEL`, `__RANGEEXP`, `__ZPOS`). */
export const FLAG_NAMES = ['UP', 'ACCEL', 'RANGEEXP', 'ZPOS'] as const;
export type FlagName = (typeof FLAG_NAMES)[number];

/** Flags of one sample plus the rolling statistics they were derived from (same unit as x). */
export interface StructFlagsRow {
  readonly up: 0 | 1;
  readonly accel: 0 | 1;
  readonly rangeexp: 0 | 1;
  readonly zpos: 0 | 1;
  /** Rolling median of x; NaN when the window holds no finite value. */
  readonly median: number;
  /** Rolling median of |x − median|; NaN when the window holds no finite deviation. */
  readonly devMedian: number;
  /**
   * Rolling sample standard deviation (ddof 1); 0 when the window holds fewer than 2 finite values;
   * NaN from a causal encoder that keeps no sd window (`standardDeviation: false`).
   */
  readonly sd: number;
  /** (x − median) / (sd + 1e-12), dimensionless; NaN when x or the median is missing, or sd is NaN. */
  readonly z: number;
}

/** Every intermediate series of the reference encoder (sep-reference.md §4.1), one entry per row. */
export interface StructIntermediates {
  readonly median: Float64Array;
  readonly deviation: Float64Array;
  readonly devMedian: Float64Array;
  readonly sd: Float64Array;
  readonly z: Float64Array;
}

/** Converts an input cell to the float the encoders use: null/undefined become NaN (pandas' missing). */
export function toFloat(value: number | null | undefined): number {
  return value === null || value === undefined ? Number.NaN : value;
}
