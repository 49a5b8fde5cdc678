// The fast QFH path: one window of packed bits (MSB first) → metrics written into a batch output slot.
// Counts come from byte tables, stage 1 from per-E tables, and the trajectory cosines from one pass of sums.

import type { QfhBatchOutput } from './batch-output.ts';
import { blendCoherence, bucket } from './formulas.ts';
import { computeStage, MAX_STAGE_TABLE_EVENTS, STAGE, stageTable } from './stage.ts';
import { decayTable, eventTable, lambdaExpTable, MAX_TABLE_EVENTS, type TemplateTable } from './tables.ts';

// Performance note: V8 boxes doubles passed to or returned from calls it does not inline, which made
// the garbage collector a visible cost. Helpers below take integers and objects and write their double
// results to typed arrays; the per-bit loop and the cosine algebra stay in one function.

/** Ones in a byte. */
const POP = new Uint8Array(256);
/** FLIP pairs among the 7 adjacent bit pairs inside a byte. */
const INNER_FLIPS = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  for (let p = 0; p < 8; p++) POP[b] += (b >>> p) & 1;
  for (let p = 0; p < 7; p++) INNER_FLIPS[b] += ((b >>> p) ^ (b >>> (p + 1))) & 1;
}
/** Keeps the first r bits (MSB first) of a byte; PAIR_MASK[r] keeps the r − 1 pairs among them. */
const HIGH_MASK = Uint8Array.from({ length: 8 }, (_, r) => (0xff00 >>> r) & 0xff);
const PAIR_MASK = Uint8Array.from({ length: 8 }, (_, r) => (r === 0 ? 0 : 0x7f & ~((1 << (8 - r)) - 1)));

/** Result registers of countPairs (small integers, so V8 keeps them unboxed). */
let pairFlips = 0;
let pairRuptures = 0;

/** Counts FLIP and RUPTURE pairs among the first `n` ≥ 1 bits starting at byte `off`. */
function countPairs(bytes: Uint8Array, off: number, n: number): void {
  const full = n >>> 3;
  const rem = n & 7;
  const first = bytes[off] >>> 7;
  let prev = first;
  let ones = 0;
  let flips = 0;
  for (let j = off; j < off + full; j++) {
    const b = bytes[j];
    ones += POP[b];
    flips += INNER_FLIPS[b] + (prev ^ (b >>> 7));
    prev = b & 1;
  }
  if (rem !== 0) {
    const b = bytes[off + full] & HIGH_MASK[rem];
    ones += POP[b];
    flips += POP[(b ^ (b >>> 1)) & PAIR_MASK[rem]] + (prev ^ (b >>> 7));
    prev = (b >>> (8 - rem)) & 1;
  }
  // Each 11 pair holds two ones and each FLIP one; every bit but the two ends is in two pairs.
  pairFlips = flips;
  pairRuptures = (2 * ones - first - prev - flips) >> 1;
}

/** Writes the result of an empty or one-bit window (no events, sep-reference §2.11). */
function writeNoEvents(out: QfhBatchOutput, w: number): void {
  out.coherence[w] = 0;
  out.entropy[w] = 0;
  out.rupture[w] = 0;
  out.flipRatio[w] = 0;
  out.nullCount[w] = 0;
  out.flipCount[w] = 0;
  out.ruptureCount[w] = 0;
  out.collapse[w] = 0;
  out.sigC[w] = 0;
  out.sigS[w] = 1000;
  out.sigE[w] = 0;
}

/**
 * Stage 2 (§2.5) for a window of n > 10 bits whose stage-1 coherence is already in out.coherence[w]:
 * replaces it with the blended coherence. The path P[0] = b0, P[k] = Σ_{j≤k} (b[j] − b0)·e^{−λj} is
 * summed in the reference's order; the three template cosines are expanded in closed form from
 * ΣP, ΣP², Σ i·P, Σ P·sin(2πi/n) and Σ P·e^{−0.1 i}, so no template is materialised.
 */
function blendTrajectory(
  bytes: Uint8Array,
  off: number,
  n: number,
  t: TemplateTable,
  out: QfhBatchOutput,
  w: number,
) {
  const local = Math.min(n, 20);
  countPairs(bytes, off, local);
  const ex = lambdaExpTable(local - 1, pairFlips, pairRuptures, n);
  const g = decayTable(n);
  const sin = t.sin;
  const b0 = bytes[off] >>> 7;
  let sum = 0;
  let sP = b0;
  let sPP = b0;
  let siP = 0;
  let ssP = 0;
  let sgP = b0;
  let byte = bytes[off];
  for (let k = 1; k < n; k++) {
    if ((k & 7) === 0) byte = bytes[off + (k >>> 3)];
    const bit = (byte >>> (7 - (k & 7))) & 1;
    sum += (bit - b0) * ex[k];
    sP += sum;
    sPP += sum * sum;
    siP += k * sum;
    ssP += sum * sin[k];
    sgP += sum * g[k];
  }
  let best = 0;
  if (sPP !== 0) {
    const normP = Math.sqrt(sPP);
    if (b0 !== 0) {
      // Exponential template b0·e^{−0.1 i}; all zeros (cosine 0) when b0 = 0.
      const c = sgP / (normP * t.expNorm);
      if (c > best) best = c;
    }
    const slope = (sum - b0) / (n - 1); // linear template b0 + i·slope
    const linSq = n * b0 * b0 + 2 * b0 * slope * t.indexSum + slope * slope * t.indexSquareSum;
    if (linSq > 0) {
      const c = (b0 * sP + slope * siP) / (normP * Math.sqrt(linSq));
      if (c > best) best = c;
    }
    const mid = (sum + b0) / 2; // oscillating template mid + amp·sin(2πi/n)
    const amp = (sum - b0) / 2;
    const oscSq = n * mid * mid + 2 * mid * amp * t.sinSum + amp * amp * t.sinSquareSum;
    if (oscSq > 0) {
      const c = (mid * sP + amp * ssP) / (normP * Math.sqrt(oscSq));
      if (c > best) best = c;
    }
    if (best > 1) best = 1;
  }
  out.coherence[w] = blendCoherence(best, out.coherence[w], sum);
}

/**
 * Analyses the `n` bits starting at byte `off` of `bytes` (MSB first) into slot `w` of `out`.
 * `templates` must be templateTable(n) when n > 10 and decayTable(n) must have been called
 * (both ignored otherwise). Every bit is 0 or 1 by construction.
 */
export function analyzeSpan(
  bytes: Uint8Array,
  off: number,
  n: number,
  templates: TemplateTable | null,
  out: QfhBatchOutput,
  w: number,
): void {
  if (n < 2) {
    writeNoEvents(out, w);
    return;
  }
  const events = n - 1;
  countPairs(bytes, off, n);
  const cF = pairFlips;
  const cR = pairRuptures;
  if (events <= MAX_STAGE_TABLE_EVENTS) {
    const e = eventTable(events);
    const s = stageTable(events);
    const i = cF * (events + 1) + cR;
    out.coherence[w] = s.coherence[i];
    out.entropy[w] = s.entropy[i];
    out.rupture[w] = e.ratio[cR];
    out.flipRatio[w] = e.ratio[cF];
    out.sigE[w] = s.sigE[i];
    out.sigS[w] = e.stabilitySig[cR];
  } else {
    computeStage(events, cF, cR);
    out.coherence[w] = STAGE[1];
    out.entropy[w] = STAGE[0];
    out.rupture[w] = STAGE[2];
    out.flipRatio[w] = STAGE[3];
    out.sigE[w] = bucket(STAGE[0]);
    out.sigS[w] = events <= MAX_TABLE_EVENTS ? eventTable(events).stabilitySig[cR] : bucket(1 - STAGE[2]);
  }
  out.nullCount[w] = events - cF - cR;
  out.flipCount[w] = cF;
  out.ruptureCount[w] = cR;
  out.collapse[w] = out.rupture[w] >= 0.5 ? 1 : 0;
  if (n > 10 && templates !== null) blendTrajectory(bytes, off, n, templates, out, w);
  out.sigC[w] = bucket(out.coherence[w]);
}
