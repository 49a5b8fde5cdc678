// analyzeWindow: the scalar entry point reproducing native `sep_quantum` for one window of 0/1 values.
// It validates the input (native would silently compute garbage), packs it and runs the shared fast path.

import { RigtuneError } from '../../core/errors.ts';
import { createBatchOutput, type QfhBatchOutput, stabilityOf } from './batch-output.ts';
import { analyzeSpan } from './packed.ts';
import { decayTable, templateTable } from './tables.ts';

/**
 * QFH metrics of one window (sep-reference §2.7–§2.8). coherence, entropy, rupture and flip_ratio
 * are the double values of native `analyze_window`; stability = f32(1 − rupture) and lambda_hazard =
 * rupture as native `analyze_bits` reports them; sig_* = bucket() of the float32 values (0..1000).
 */
export interface QfhMetrics {
  /** Number of bits in the window. */
  readonly n: number;
  /** C in [0, 1]. */
  readonly coherence: number;
  /** f32(1 − R) in [0, 1]. */
  readonly stability: number;
  /** Normalised 3-state entropy H: 0 with fewer than 2 bits, else in [0.05, 1]. */
  readonly entropy: number;
  /** R: share of 11 pairs among the n − 1 adjacent pairs (0 with fewer than 2 bits). */
  readonly rupture: number;
  /** F: share of 01/10 pairs. */
  readonly flip_ratio: number;
  /** Equal to rupture: this kernel has no separate hazard model. */
  readonly lambda_hazard: number;
  /** R ≥ 0.5. */
  readonly collapse: boolean;
  readonly null_count: number;
  readonly flip_count: number;
  readonly rupture_count: number;
  readonly sig_c: number;
  readonly sig_s: number;
  readonly sig_e: number;
}

const scratch: QfhBatchOutput = createBatchOutput(1);

/** Reads slot `w` of a batch output (of windows of n bits) as a QfhMetrics record. */
export function readBatchWindow(out: QfhBatchOutput, w: number, n: number): QfhMetrics {
  const rupture = out.rupture[w];
  return {
    n,
    coherence: out.coherence[w],
    stability: stabilityOf(rupture),
    entropy: out.entropy[w],
    rupture,
    flip_ratio: out.flipRatio[w],
    lambda_hazard: rupture,
    collapse: out.collapse[w] === 1,
    null_count: out.nullCount[w],
    flip_count: out.flipCount[w],
    rupture_count: out.ruptureCount[w],
    sig_c: out.sigC[w],
    sig_s: out.sigS[w],
    sig_e: out.sigE[w],
  };
}

/**
 * Packs 0/1 values MSB first (the layout of `analyze_window_batch`). Throws RT_KERNEL_BITS with
 * `where.offset` = index of the first value that is not exactly 0 or 1.
 */
export function packBits(bits: ArrayLike<number>): Uint8Array {
  const packed = new Uint8Array((bits.length + 7) >>> 3);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i];
    if (b === 1) packed[i >>> 3] |= 0x80 >>> (i & 7);
    else if (b !== 0) {
      throw new RigtuneError('RT_KERNEL_BITS', `bit ${i} is ${String(b)}, expected 0 or 1`, { offset: i });
    }
  }
  return packed;
}

/**
 * QFH metrics of a window of bits (any length, each exactly 0 or 1), equal to native `analyze_window`
 * within 1e-15 and bit-identical on the shared vectors. Throws RT_KERNEL_BITS (where.offset = index)
 * for any other value; native would compute garbage instead (sep-reference §2.11).
 */
export function analyzeWindow(bits: ArrayLike<number>): QfhMetrics {
  const n = bits.length;
  const packed = packBits(bits);
  if (n > 10) decayTable(n);
  analyzeSpan(packed, 0, n, n > 10 ? templateTable(n) : null, scratch, 0);
  return readBatchWindow(scratch, 0, n);
}
