// A literal, unoptimised transcription of the native QFH kernel (sep-reference §2.1–§2.6), step by step.
// It is the oracle the fast path is tested against and exposes the intermediates the vectors record.

import {
  blendCoherence,
  entropyTerm,
  localLambda,
  normaliseEntropy,
  patternCoherence,
  ratioF32,
  rawEntropy,
} from './formulas.ts';

/** Event states with the native enum numbers (§2.1): only these three are produced. */
export const QFH_STATE = { nullState: 0, flip: 6, rupture: 7 } as const;

/** Everything the reference computes for one window; trajectory fields are null when n ≤ 10. */
export interface QfhTrace {
  readonly n: number;
  readonly events: Uint8Array;
  readonly nullCount: number;
  readonly flipCount: number;
  readonly ruptureCount: number;
  readonly rupture: number;
  readonly flip: number;
  readonly entropy: number;
  readonly stage1: number;
  readonly lambda: number | null;
  readonly path: Float64Array | null;
  readonly finalValue: number | null;
  readonly match: number | null;
  readonly coherence: number;
  readonly collapse: boolean;
}

/** §2.1 transition events of a 0/1 sequence (the caller has validated the values). */
export function transitionEvents(bits: ArrayLike<number>): Uint8Array {
  const events = new Uint8Array(Math.max(0, bits.length - 1));
  for (let i = 0; i + 1 < bits.length; i++) {
    const pair = bits[i] * 2 + bits[i + 1];
    events[i] = pair === 0 ? QFH_STATE.nullState : pair === 3 ? QFH_STATE.rupture : QFH_STATE.flip;
  }
  return events;
}

function rawEntropyOf(events: Uint8Array): { hraw: number; cN: number; cF: number; cR: number } {
  let cN = 0;
  let cF = 0;
  let cR = 0;
  for (const e of events) {
    if (e === QFH_STATE.nullState) cN++;
    else if (e === QFH_STATE.flip) cF++;
    else cR++;
  }
  const e = events.length;
  const hraw = rawEntropy(
    entropyTerm(ratioF32(cN, e)),
    entropyTerm(ratioF32(cF, e)),
    entropyTerm(ratioF32(cR, e)),
  );
  return { hraw, cN, cF, cR };
}

/** cos(a, b) = Σab / (‖a‖·‖b‖), 0 when either norm is 0 (§2.5c). */
function cosine(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / (Math.sqrt(na) * Math.sqrt(nb));
}

/** §2.5c: best cosine of the path against the exponential, linear and oscillating templates. */
export function templateMatch(path: Float64Array): number {
  const n = path.length;
  if (n < 3) return 0.5;
  const first = path[0];
  const last = path[n - 1];
  const exp = new Float64Array(n);
  const lin = new Float64Array(n);
  const osc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    exp[i] = first * Math.exp(-0.1 * i);
    lin[i] = first + (i * (last - first)) / (n - 1);
    osc[i] = (last + first) / 2 + ((last - first) / 2) * Math.sin((2 * Math.PI * i) / n);
  }
  const best = Math.max(0, cosine(path, exp), cosine(path, lin), cosine(path, osc));
  return Math.min(best, 1);
}

/** The literal kernel on validated 0/1 bits. */
export function traceWindow(bits: ArrayLike<number>): QfhTrace {
  const n = bits.length;
  const events = transitionEvents(bits);
  const e = events.length;
  const { hraw, cN, cF, cR } = rawEntropyOf(events);
  const rupture = ratioF32(cR, e);
  const flip = ratioF32(cF, e);
  const entropy = e > 0 ? normaliseEntropy(hraw) : 0;
  const stage1 = e > 0 ? patternCoherence(entropy, rupture, flip) : 0;
  let coherence = stage1;
  let lambda: number | null = null;
  let path: Float64Array | null = null;
  let finalValue: number | null = null;
  let match: number | null = null;
  if (n > 10) {
    const local = transitionEvents(Array.prototype.slice.call(bits, 0, Math.min(20, n)));
    lambda = localLambda(rawEntropyOf(local).hraw);
    path = new Float64Array(n);
    const b0 = bits[0];
    path[0] = b0;
    let sum = 0;
    for (let k = 1; k < n; k++) {
      sum += (bits[k] - b0) * Math.exp(-lambda * k);
      path[k] = sum;
    }
    finalValue = path[n - 1];
    match = templateMatch(path);
    coherence = blendCoherence(match, stage1, finalValue);
  }
  return {
    n,
    events,
    nullCount: cN,
    flipCount: cF,
    ruptureCount: cR,
    rupture,
    flip,
    entropy,
    stage1,
    lambda,
    path,
    finalValue,
    match,
    coherence,
    collapse: rupture >= 0.5,
  };
}
