// Causal struct-bit encoder for live telemetry: the reference's four flags from trailing windows only,
// one sample at a time in O(log w), so a flag never changes after it was emitted.

import { RigtuneError } from '../../core/errors.ts';
import { Z_EPSILON } from './reference.ts';
import { TrailingMoments } from './trailing-moments.ts';
import type { StructFlags, StructFlagsRow } from './types.ts';
import { toFloat } from './types.ts';
import { WindowMedian, type WindowMedianSlab } from './window-median.ts';

/** Window lengths in samples; each trailing window holds the latest sample and the w − 1 before it. */
export interface CausalEncoderOptions {
  /** Samples in the medians of x and of |x − median|. Default 61 (the reference's 61 rows). */
  readonly medianWindow?: number;
  /** Samples in the standard-deviation window. Default 301 (the reference's 301 rows). */
  readonly sdWindow?: number;
  /**
   * Whether to keep the standard-deviation window (default true). false: flags only — no sd window is
   * kept (`sdWindow` is still checked, then ignored, and reads 0), ZPOS is `x − median > 0`, and
   * {@link CausalStructEncoder.push} reports `sd` and `z` as NaN. The flags equal the full encoder's
   * whenever every finite sample is 0 or has 1e-150 ≤ |x| < 1e150 (see {@link CausalStructEncoder}).
   */
  readonly standardDeviation?: boolean;
}

export const CAUSAL_DEFAULTS = { medianWindow: 61, sdWindow: 301, standardDeviation: true } as const;

/** Bits of {@link CausalStructEncoder.pushFlags}' result. */
export const FLAG_UP = 1;
export const FLAG_ACCEL = 2;
export const FLAG_RANGEEXP = 4;
export const FLAG_ZPOS = 8;

/** Offsets of the previous sample's x, dx and devMedian after the medians' values; how many. */
const PREV_X = 0;
const PREV_DX = 1;
const PREV_DEV_MEDIAN = 2;
const PREVIOUS = 3;

function checkWindow(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 1 << 24) {
    throw new RigtuneError('RT_KERNEL_ARGUMENT', `${field} must be an integer from 1 to 2^24, got ${value}`, {
      field,
    });
  }
  return value;
}

/**
 * Streaming struct-bit encoder for one channel. Per pushed sample x[i]:
 * - median[i] = median of the finite x in the last `medianWindow` samples;
 * - dev[i] = |x[i] − median[i]|, frozen when computed; devMedian[i] = median of the finite dev
 *   over the last `medianWindow` samples;
 * - sd[i] = sample std (ddof 1) of the finite x in the last `sdWindow` samples, 0 with < 2 values;
 * - z[i] = (x[i] − median[i]) / (sd[i] + 1e-12);
 * - UP = x[i] − x[i−1] > 0, ACCEL = dx[i] − dx[i−1] > 0, RANGEEXP = devMedian[i] − devMedian[i−1] > 0,
 *   ZPOS = z > 0; the first sample's differences are 0 (the reference's `prepend=x[0]`).
 *
 * Missing samples (null, NaN) occupy a place in every window but contribute no value; a flag whose
 * difference or z involves one is 0 — the reference's NaN rule. ±inf count in differences and z
 * but not in the windows, as pandas treats them.
 *
 * Differences from {@link encodeReference} (details in README.md): windows trail instead of being
 * centred, so the median lags a level step by ⌊medianWindow/2⌋ samples (ZPOS stays 1 that long after
 * a step up; RANGEEXP reacts after a step rather than around it); each deviation uses the median known
 * when it was computed; the first samples see only their own short history (sd = 0 until 2 values);
 * the std is a stable streaming estimate (≈1e-10 relative of two-pass), not pandas' exact bits.
 * UP, ACCEL and the missing-value rule are identical.
 *
 * Flags only (`standardDeviation: false`): no sd window; ZPOS = x[i] − median[i] > 0, the sign of z
 * without the division. The full encoder's z has that sign unless the division loses it: sd is not
 * finite (the sum of squares overflows, |x| ≳ 1e153; z is then 0 or NaN, ZPOS 0) or the quotient
 * underflows to 0 (0 < x − median ≤ 2^-1075·(sd + 1e-12), which needs values in the denormal range
 * beside values ≳ 1). Neither can happen when every finite sample is 0 or has 1e-150 ≤ |x| < 1e150
 * (x − median is then 0 or ≥ 2^-552 in size, sd < 1.5e150), so there both modes give the same flags,
 * bit for bit; beyond that range the flags-only ZPOS keeps the sign rule (deterministic, never throws).
 *
 * Cost per push: O(log medianWindow) for the two medians, O(1) amortised for the std
 * (O(sdWindow) on a recompute step, once per sdWindow samples or after a cancellation).
 * Memory: O(medianWindow + sdWindow); O(medianWindow) for flags only (≈1.8 KB retained at the defaults).
 */
export class CausalStructEncoder {
  readonly #xMedian: WindowMedian;
  readonly #devMedian: WindowMedian;
  /** null for flags only. */
  readonly #moments: TrailingMoments | null;
  #seq = 0;
  /**
   * #p[#pAt + PREV_X, PREV_DX, PREV_DEV_MEDIAN]: the previous sample's x, dx and devMedian (NaN at first),
   * kept beside the medians' values rather than as three boxed doubles.
   */
  readonly #p: Float64Array;
  readonly #pAt: number;

  /**
   * Doubles and bytes the two medians of `medianWindow` samples take in an owner's buffer (`into` of
   * the constructor): 2·medianWindow + 3 doubles and 4·medianWindow bytes.
   */
  static slabSize(medianWindow: number = CAUSAL_DEFAULTS.medianWindow): { f64: number; u8: number } {
    return { f64: 2 * medianWindow + PREVIOUS, u8: 4 * medianWindow };
  }

  /**
   * `into`: the two medians live in an owner's buffer (see {@link slabSize}; medianWindow ≤ 128) rather
   * than one of their own, so that an owner keeps fewer buffers and views.
   * @throws RigtuneError RT_KERNEL_ARGUMENT when a window is not an integer in [1, 2^24], or `into`
   * cannot hold the medians.
   */
  constructor(options: CausalEncoderOptions = {}, into?: WindowMedianSlab) {
    const medianWindow = checkWindow(options.medianWindow ?? CAUSAL_DEFAULTS.medianWindow, 'medianWindow');
    const sdWindow = checkWindow(options.sdWindow ?? CAUSAL_DEFAULTS.sdWindow, 'sdWindow');
    // The two medians and the previous values share one buffer (fewer objects than separate ones).
    const size = CausalStructEncoder.slabSize(medianWindow);
    let slab = into;
    if (slab === undefined && 2 * medianWindow <= 0x100) {
      const buffer = new ArrayBuffer(8 * size.f64 + size.u8);
      const values = new Float64Array(buffer, 0, size.f64);
      slab = { values, index: new Uint8Array(buffer, 8 * size.f64, size.u8), indexBase: 0 };
    }
    const [xMedian, devMedian] = WindowMedian.group(medianWindow, 2, slab);
    this.#xMedian = xMedian;
    this.#devMedian = devMedian;
    if (slab !== undefined && slab.values.length < size.f64) {
      const message = `a shared slab cannot hold an encoder of ${medianWindow} samples`;
      throw new RigtuneError('RT_KERNEL_ARGUMENT', message, { field: 'into' });
    }
    this.#p = slab === undefined ? new Float64Array(PREVIOUS) : slab.values;
    this.#pAt = slab === undefined ? 0 : 2 * medianWindow;
    this.#p.fill(Number.NaN, this.#pAt, this.#pAt + PREVIOUS);
    const keepsSd = options.standardDeviation ?? CAUSAL_DEFAULTS.standardDeviation;
    this.#moments = keepsSd ? new TrailingMoments(sdWindow) : null;
  }

  /** Samples in the medians of x and of |x − median|. */
  get medianWindow(): number {
    return this.#xMedian.capacity;
  }

  /** Samples in the standard-deviation window; 0 when it keeps none (`standardDeviation: false`). */
  get sdWindow(): number {
    return this.#moments === null ? 0 : this.#moments.window;
  }

  /** Samples pushed since construction or the last {@link reset}. */
  get samples(): number {
    return this.#seq;
  }

  /**
   * Encodes the next sample (any unit; null = missing) and returns its flags and statistics; `sd` and
   * `z` are NaN when the encoder keeps no sd window (`standardDeviation: false`).
   */
  push(sample: number | null): StructFlagsRow {
    const flags = this.pushFlags(sample);
    // The statistics are re-read from the windows rather than kept in fields (memory per channel): the
    // same numbers, and z the same expression, as pushFlags used.
    const median = this.#xMedian.median();
    const sd = this.#moments === null ? Number.NaN : this.#moments.sd();
    return {
      up: (flags & FLAG_UP) !== 0 ? 1 : 0,
      accel: (flags & FLAG_ACCEL) !== 0 ? 1 : 0,
      rangeexp: (flags & FLAG_RANGEEXP) !== 0 ? 1 : 0,
      zpos: (flags & FLAG_ZPOS) !== 0 ? 1 : 0,
      median,
      devMedian: this.#p[this.#pAt + PREV_DEV_MEDIAN],
      sd,
      z: (toFloat(sample) - median) / (sd + Z_EPSILON),
    };
  }

  /**
   * Encodes the next sample like {@link push} but returns only the four flags as bits (FLAG_UP |
   * FLAG_ACCEL | FLAG_RANGEEXP | FLAG_ZPOS), allocating nothing: the live scorer's per-sample path.
   */
  pushFlags(sample: number | null): number {
    const x = toFloat(sample);
    const inWindow = Number.isFinite(x) ? x : Number.NaN;
    const slot = this.#seq % this.medianWindow;
    // The outgoing slot's value is replaced in place (one re-sift) or removed when the new one is missing.
    if (Number.isNaN(inWindow)) this.#xMedian.remove(slot);
    else this.#xMedian.replace(slot, inWindow);
    const median = this.#xMedian.median();
    const deviation = x - median;
    const dev = Math.abs(deviation);
    if (Number.isFinite(dev)) this.#devMedian.replace(slot, dev);
    else this.#devMedian.remove(slot);
    const devMedian = this.#devMedian.median();
    let above: boolean;
    const moments = this.#moments;
    if (moments === null) {
      above = deviation > 0;
    } else {
      moments.push(inWindow);
      above = deviation / (moments.sd() + Z_EPSILON) > 0;
    }

    const first = this.#seq === 0;
    const p = this.#p;
    const at = this.#pAt;
    const dx = x - (first ? x : p[at + PREV_X]);
    const ddx = dx - (first ? dx : p[at + PREV_DX]);
    const ddev = devMedian - (first ? devMedian : p[at + PREV_DEV_MEDIAN]);
    p[at + PREV_X] = x;
    p[at + PREV_DX] = dx;
    p[at + PREV_DEV_MEDIAN] = devMedian;
    this.#seq += 1;
    return (
      (dx > 0 ? FLAG_UP : 0) |
      (ddx > 0 ? FLAG_ACCEL : 0) |
      (ddev > 0 ? FLAG_RANGEEXP : 0) |
      (above ? FLAG_ZPOS : 0)
    );
  }

  /** Forgets every sample, as after construction (e.g. when a device restarts). */
  reset(): void {
    this.#xMedian.clear();
    this.#devMedian.clear();
    this.#moments?.reset();
    this.#seq = 0;
    this.#p.fill(Number.NaN, this.#pAt, this.#pAt + PREVIOUS);
  }
}

/**
 * Causal flags of a whole series: what a {@link CausalStructEncoder} emits when fed the values in
 * order. Row i depends only on rows ≤ i. O(n log medianWindow) time.
 */
export function encodeCausal(values: ArrayLike<number | null>, options?: CausalEncoderOptions): StructFlags {
  const n = values.length;
  const encoder = new CausalStructEncoder(options);
  const up = new Uint8Array(n);
  const accel = new Uint8Array(n);
  const rangeexp = new Uint8Array(n);
  const zpos = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const flags = encoder.pushFlags(values[i]);
    up[i] = flags & FLAG_UP;
    accel[i] = (flags & FLAG_ACCEL) >>> 1;
    rangeexp[i] = (flags & FLAG_RANGEEXP) >>> 2;
    zpos[i] = (flags & FLAG_ZPOS) >>> 3;
  }
  return { up, accel, rangeexp, zpos };
}
