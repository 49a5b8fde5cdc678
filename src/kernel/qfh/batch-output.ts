// Struct-of-arrays output of the batch API: one typed array per metric, preallocated by the caller.
// Keeping windows in flat typed arrays is what lets the hot path run without allocating per window.

import { RigtuneError } from '../../core/errors.ts';

/**
 * Per-window QFH results for up to `capacity` windows, index i = window i. Ratios and coherence are
 * the double values of native `analyze_window`; stability = f32(1 − rupture) and lambda_hazard =
 * rupture are not stored (see {@link stabilityOf}).
 */
export interface QfhBatchOutput {
  readonly capacity: number;
  /** C in [0, 1] (double). */
  readonly coherence: Float64Array;
  /** H in [0.05, 1] when the window has ≥ 2 bits, else 0. */
  readonly entropy: Float64Array;
  /** R = rupture events / events, float32-valued; also lambda_hazard. */
  readonly rupture: Float64Array;
  /** F = flip events / events, float32-valued. */
  readonly flipRatio: Float64Array;
  readonly nullCount: Uint32Array;
  readonly flipCount: Uint32Array;
  readonly ruptureCount: Uint32Array;
  /** 1 when R ≥ 0.5, else 0. */
  readonly collapse: Uint8Array;
  /** bucket(f32(C)), 0..1000. */
  readonly sigC: Uint16Array;
  /** bucket(f32(1 − R)), 0..1000. */
  readonly sigS: Uint16Array;
  /** bucket(f32(H)), 0..1000. */
  readonly sigE: Uint16Array;
}

/** Allocates a batch output for `capacity` windows (≥ 0, integer). */
export function createBatchOutput(capacity: number): QfhBatchOutput {
  if (!Number.isInteger(capacity) || capacity < 0) {
    throw new RigtuneError(
      'RT_KERNEL_ARGUMENT',
      `batch capacity must be a non-negative integer, got ${capacity}`,
    );
  }
  return {
    capacity,
    coherence: new Float64Array(capacity),
    entropy: new Float64Array(capacity),
    rupture: new Float64Array(capacity),
    flipRatio: new Float64Array(capacity),
    nullCount: new Uint32Array(capacity),
    flipCount: new Uint32Array(capacity),
    ruptureCount: new Uint32Array(capacity),
    collapse: new Uint8Array(capacity),
    sigC: new Uint16Array(capacity),
    sigS: new Uint16Array(capacity),
    sigE: new Uint16Array(capacity),
  };
}

/** stability = f32(1 − R), the float32 value native `analyze_bits` reports (sep-reference §2.8). */
export function stabilityOf(rupture: number): number {
  return Math.fround(1 - rupture);
}
