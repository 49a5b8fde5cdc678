// The float32/double formulas of the native QFH kernel, one function per step of sep-reference §2.2–§2.8.
// Shared by the fast path and the literal reference so both round at exactly the same points.

import { log2f } from './log2f.ts';

const f32 = Math.fround;

/** Float32 constants as the C++ kernel spells them (`1.585f`, `0.05f`, …), promoted to double. */
export const F32 = {
  entropyNorm: f32(1.585),
  entropyFloor: f32(0.05),
  w06: f32(0.6),
  w03: f32(0.3),
  w01: f32(0.1),
  w07: f32(0.7),
  c1Min: f32(0.01),
  c1Max: f32(0.99),
} as const;

/** std::clamp for the non-NaN values the kernel produces. */
export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/** `f32(f32(count) / f32(events))`: a float32 ratio of §2.2 (0 when there are no events). */
export function ratioF32(count: number, events: number): number {
  return events === 0 ? 0 : f32(f32(count) / f32(events));
}

/** `f32(r · log2f(r))` for r > 0, else 0: one float32 term of the entropy sum (§2.3). */
export function entropyTerm(ratio: number): number {
  return ratio > 0 ? f32(ratio * log2f(ratio)) : 0;
}

/** Raw float32 entropy from the three terms, summed null, flip, rupture (§2.3). */
export function rawEntropy(termNull: number, termFlip: number, termRupture: number): number {
  return -f32(f32(termNull + termFlip) + termRupture);
}

/** H = clamp(Hraw / 1.585f, 0.05f, 1), in double with float32 constants (§2.3; only when E > 0). */
export function normaliseEntropy(hraw: number): number {
  const h = hraw / F32.entropyNorm;
  return clamp(h, F32.entropyFloor, 1);
}

/** Stage-1 pattern coherence (§2.4), a float32 value in [0.01f, 0.99f]; needs E > 0. */
export function patternCoherence(entropy: number, rupture: number, flip: number): number {
  const p = f32(1 - entropy);
  const s = f32(1 - rupture);
  const c = f32(1 - flip);
  const c1 = f32(f32(f32(p * F32.w06) + f32(s * F32.w03)) + f32(c * F32.w01));
  return clamp(c1, F32.c1Min, F32.c1Max);
}

/**
 * Local decay constant λ of §2.5a from the raw float32 entropy of the first min(20, n) bits
 * (double constants here, unlike §2.3). Computed literally so it rounds like the native code.
 */
export function localLambda(hrawLocal: number): number {
  let h = hrawLocal / 1.585;
  h = clamp(h, 0.05, 1);
  const cLocal = 1 - h;
  const lambda = 0.3 * h + 0.2 * (1 - cLocal);
  return clamp(lambda, 0.01, 1);
}

/**
 * Stage-2 blend (§2.5d): best template cosine `match`, stage-1 coherence `c1`, damped final value `v`.
 * Returns the final coherence C (double, in [0, 1]).
 */
export function blendCoherence(match: number, c1: number, v: number): number {
  const m = f32(match);
  let c2 = f32(f32(F32.w03 * m) + f32(F32.w07 * c1));
  if (Math.abs(v) < 2.0) {
    const d = f32(1 / f32(1 + f32(F32.w01 * Math.abs(f32(v)))));
    c2 = c2 * d; // double product, not rounded (§2.5d)
  }
  return clamp(c2, 0, 1);
}

/** `bucket(v) = lround(f32(clamp(f32(v), 0, 1) · 1000f))` of §2.8: a 0..1000 signature digit. */
export function bucket(value: number): number {
  const v = f32(value);
  return Math.round(f32(clamp(v, 0, 1) * 1000));
}
