// Lazily built lookup tables of the fast path: per event count, per window length and per local λ.
// Each entry is computed with the same expression as reference.ts, so table and reference agree bit for bit.

import { bucket, entropyTerm, localLambda, ratioF32, rawEntropy } from './formulas.ts';

/** Per event count E: float32 ratios c/E, their entropy terms and bucket(f32(1 − c/E)), c = 0..E. */
export interface EventTable {
  readonly ratio: Float64Array;
  readonly term: Float64Array;
  readonly stabilitySig: Uint16Array;
}

/** Per window length n: the oscillating template's sin(2πi/n) and the template norms (§2.5c). */
export interface TemplateTable {
  readonly n: number;
  readonly sin: Float64Array;
  /** Σ sin(2πi/n) over i < n. */
  readonly sinSum: number;
  /** Σ sin²(2πi/n) over i < n. */
  readonly sinSquareSum: number;
  /** √Σ exp(−0.1 i)² over i < n: norm of the exponential template when P[0] = 1. */
  readonly expNorm: number;
  /** Σ i and Σ i² over i < n (exact integers). */
  readonly indexSum: number;
  readonly indexSquareSum: number;
}

/** Event tables are cached up to this E; longer windows compute their three terms directly. */
export const MAX_TABLE_EVENTS = 8192;
const MAX_CACHED_TEMPLATES = 256;

const eventTables: (EventTable | undefined)[] = [];
const templateTables = new Map<number, TemplateTable>();
/** exp(−0.1 i), grown on demand. */
let decay = new Float64Array(0);
/** Per local window (E_loc, cF, cR): the table of exp(−λ·j). Index E_loc·400 + cF·20 + cR. */
const lambdaExp: (Float64Array | undefined)[] = [];

/** Ratio/term table for E events (E ≤ MAX_TABLE_EVENTS), built once. */
export function eventTable(events: number): EventTable {
  let table = eventTables[events];
  if (table === undefined) {
    const ratio = new Float64Array(events + 1);
    const term = new Float64Array(events + 1);
    const stabilitySig = new Uint16Array(events + 1);
    for (let c = 0; c <= events; c++) {
      ratio[c] = ratioF32(c, events);
      term[c] = entropyTerm(ratio[c]);
      stabilitySig[c] = bucket(1 - ratio[c]);
    }
    table = { ratio, term, stabilitySig };
    eventTables[events] = table;
  }
  return table;
}

/** exp(−0.1 i) for i < n (the returned array may be longer). */
export function decayTable(n: number): Float64Array {
  if (decay.length < n) {
    const grown = new Float64Array(Math.max(n, decay.length * 2, 64));
    for (let i = 0; i < grown.length; i++) grown[i] = Math.exp(-0.1 * i);
    decay = grown;
  }
  return decay;
}

/** Template table for windows of n bits (n ≥ 3), cached for the most recent lengths. */
export function templateTable(n: number): TemplateTable {
  let table = templateTables.get(n);
  if (table === undefined) {
    const sin = new Float64Array(n);
    const g = decayTable(n);
    let sinSum = 0;
    let sinSquareSum = 0;
    let expSquareSum = 0;
    for (let i = 0; i < n; i++) {
      sin[i] = Math.sin((2 * Math.PI * i) / n);
      sinSum += sin[i];
      sinSquareSum += sin[i] * sin[i];
      expSquareSum += g[i] * g[i];
    }
    const indexSum = (n * (n - 1)) / 2;
    const indexSquareSum = ((n - 1) * n * (2 * n - 1)) / 6;
    table = { n, sin, sinSum, sinSquareSum, expNorm: Math.sqrt(expSquareSum), indexSum, indexSquareSum };
    if (templateTables.size >= MAX_CACHED_TEMPLATES) templateTables.clear();
    templateTables.set(n, table);
  }
  return table;
}

/**
 * exp(−λ·j) for j < n (the returned array may be longer), λ being the §2.5a decay constant of a local
 * window of `events` ≤ 19 events with the given flip and rupture counts. Cached per (events, flips,
 * ruptures) up to MAX_TABLE_EVENTS entries; longer windows get a fresh table.
 */
export function lambdaExpTable(events: number, flips: number, ruptures: number, n: number): Float64Array {
  const key = events * 400 + flips * 20 + ruptures;
  let table = lambdaExp[key];
  if (table === undefined || table.length < n) {
    const lambda = lambdaFor(events, flips, ruptures);
    table = new Float64Array(Math.max(n, 64));
    for (let j = 0; j < table.length; j++) table[j] = Math.exp(-lambda * j);
    if (n <= MAX_TABLE_EVENTS) lambdaExp[key] = table;
  }
  return table;
}

/** λ of §2.5a for a local window of 1 ≤ `events` ≤ 19 events with the given flip and rupture counts. */
export function lambdaFor(events: number, flips: number, ruptures: number): number {
  const t = eventTable(events);
  return localLambda(rawEntropy(t.term[events - flips - ruptures], t.term[flips], t.term[ruptures]));
}
