// Stage 1 of the kernel (ratios, entropy, pattern coherence) as a function of the event counts only.
// Small windows read it from a per-E table; results go to typed arrays so the hot path boxes no doubles.

import { bucket, entropyTerm, normaliseEntropy, patternCoherence, ratioF32, rawEntropy } from './formulas.ts';
import { eventTable, MAX_TABLE_EVENTS } from './tables.ts';

/** Windows with at most this many events read stage 1 from a fully precomputed (cF, cR) table. */
export const MAX_STAGE_TABLE_EVENTS = 64;

/** Stage-1 results for every (cF, cR) of E events, index cF·(E+1) + cR (other slots unused). */
export interface StageTable {
  readonly entropy: Float64Array;
  readonly coherence: Float64Array;
  readonly sigE: Uint16Array;
}

/** Registers written by computeStage: [entropy, stage-1 coherence, rupture ratio, flip ratio]. */
export const STAGE = new Float64Array(4);

const stageTables: (StageTable | undefined)[] = [];

/** Stage 1 (sep-reference §2.2–§2.4) for E ≥ 1 events with cF flips and cR ruptures, into STAGE. */
export function computeStage(events: number, cF: number, cR: number): void {
  const cN = events - cF - cR;
  let rupture: number;
  let flip: number;
  let hraw: number;
  if (events <= MAX_TABLE_EVENTS) {
    const t = eventTable(events);
    rupture = t.ratio[cR];
    flip = t.ratio[cF];
    hraw = rawEntropy(t.term[cN], t.term[cF], t.term[cR]);
  } else {
    rupture = ratioF32(cR, events);
    flip = ratioF32(cF, events);
    hraw = rawEntropy(entropyTerm(ratioF32(cN, events)), entropyTerm(flip), entropyTerm(rupture));
  }
  const entropy = normaliseEntropy(hraw);
  STAGE[0] = entropy;
  STAGE[1] = patternCoherence(entropy, rupture, flip);
  STAGE[2] = rupture;
  STAGE[3] = flip;
}

/** The precomputed stage-1 table for E events (1 ≤ E ≤ MAX_STAGE_TABLE_EVENTS), built on first use. */
export function stageTable(events: number): StageTable {
  let table = stageTables[events];
  if (table === undefined) {
    const size = (events + 1) * (events + 1);
    table = {
      entropy: new Float64Array(size),
      coherence: new Float64Array(size),
      sigE: new Uint16Array(size),
    };
    for (let cF = 0; cF <= events; cF++) {
      for (let cR = 0; cF + cR <= events; cR++) {
        const i = cF * (events + 1) + cR;
        computeStage(events, cF, cR);
        table.entropy[i] = STAGE[0];
        table.coherence[i] = STAGE[1];
        table.sigE[i] = bucket(STAGE[0]);
      }
    }
    stageTables[events] = table;
  }
  return table;
}
