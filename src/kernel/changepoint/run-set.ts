// The run-length posterior of the detector: one hypothesis per candidate segment start, each holding a
// small Bayesian model average over segment models, in one flat typed array (no allocation per step).

import { RigtuneError } from '../../core/errors.ts';
import { type ModelTables, type SegmentModelSpec, tablesOf } from './model-tables.ts';
import { logGamma } from './segment-model.ts';

export type { SegmentModelSpec } from './model-tables.ts';

// Per run: start, ordinal of its first observation, centre, log posterior; then per model the state of
// segment-model.ts (level, slope, p00, p01, p11, shape, rate) and the log model weight.
const START = 0;
const ORDINAL = 1;
const CENTRE = 2;
const LOGW = 3;
const HEAD = 4;
const MODEL = 8;
const LOGM = 7;
const TWO_PI = 2 * Math.PI;
/** Room made at first for at most this many hypotheses (the default maxRuns); more grow by half. */
const INITIAL_ROOM = 12;

/** Scratch of RunSet.step: each model's noise prior shape and rate for this sample (one step at a time). */
let priorShapes = new Float64Array(8);
let priorRates = new Float64Array(8);

/**
 * The hypotheses, oldest first. The per-model arithmetic is that of segment-model.ts (advanceSegment,
 * logPredictive, observeSegment), written out inline on local numbers so that no double is boxed in
 * the hot loop; tests pin the results bit for bit.
 */
export class RunSet {
  readonly #t: ModelTables;
  readonly #capacity: number;
  /** Hypotheses at #r[#off + i × width …], room for #room of them. */
  #r: Float64Array;
  /** Offset in #r of the first hypothesis (0 once they moved to an array of their own). */
  #off: number;
  #room: number;
  #count = 0;

  /** Doubles a RunSet of `capacity` hypotheses over `models` first keeps in a shared slab. */
  static sizeOf(capacity: number, models: readonly SegmentModelSpec[]): number {
    return Math.min(capacity, INITIAL_ROOM) * (HEAD + MODEL * models.length);
  }

  /**
   * `capacity` hypotheses at most, each averaging `models`. They live in `f64` from `f64Off` on (`sizeOf`
   * doubles of it; past that many they move to a larger array of their own), by default an array of
   * their own.
   */
  constructor(capacity: number, models: readonly SegmentModelSpec[], f64?: Float64Array, f64Off = 0) {
    const n = models.length;
    this.#t = tablesOf(models, HEAD, MODEL);
    this.#capacity = capacity;
    if (priorShapes.length < n) {
      priorShapes = new Float64Array(n);
      priorRates = new Float64Array(n);
    }
    this.#room = Math.min(capacity, INITIAL_ROOM);
    this.#r = f64 ?? new Float64Array(this.#room * this.#t.width);
    this.#off = f64 === undefined ? 0 : f64Off;
  }

  get count(): number {
    return this.#count;
  }

  /** Drops every hypothesis (the storage is kept). */
  reset(): void {
    this.#count = 0;
  }

  /** First sample index of hypothesis `i` (hypotheses are ordered oldest first). */
  start(i: number): number {
    return this.#r[this.#off + i * this.#t.width + START];
  }

  /** Ordinal of hypothesis `i`'s first observation, as given to open. */
  ordinal(i: number): number {
    return this.#r[this.#off + i * this.#t.width + ORDINAL];
  }

  /** Log posterior probability of hypothesis `i` (normalised after each step). */
  logWeight(i: number): number {
    return this.#r[this.#off + i * this.#t.width + LOGW];
  }

  /**
   * Adds a hypothesis whose segment starts with value `x` at sample `t`. The level has a flat prior, so
   * after this first sample it is x with variance σ² (the caller charges x a broad reference density).
   * `ordinal` numbers that observation among the observed ones (kept for the caller; default t).
   * Throws RT_KERNEL_ARGUMENT when `capacity` hypotheses are already kept (see openPruned).
   */
  open(t: number, x: number, logWeight: number, ordinal = t): void {
    if (this.#count === this.#capacity)
      throw new RigtuneError('RT_KERNEL_ARGUMENT', `RunSet.open: already ${this.#capacity} hypotheses`);
    if (this.#count === this.#room) this.#grow();
    this.#write(this.#count, t, ordinal, x, logWeight);
    this.#count += 1;
  }

  /**
   * What `open(t, x, logWeight, ordinal)` then dropping hypotheses did in one pass, with no room beyond
   * `capacity`: drops those whose log posterior is below `minLogWeight` (never the last one, the new
   * one counting as last), then the least probable (the first of equals) if capacity + 1 remain; the
   * oldest-first order is kept. O(count).
   */
  openPruned(t: number, x: number, logWeight: number, ordinal: number, minLogWeight: number): void {
    const r = this.#r;
    const w = this.#t.width;
    const o = this.#off;
    let k = 0;
    for (let i = 0; i < this.#count; i += 1) {
      if (r[o + i * w + LOGW] < minLogWeight) continue;
      if (k !== i) r.copyWithin(o + k * w, o + i * w, o + (i + 1) * w);
      k += 1;
    }
    this.#count = k;
    if (logWeight < minLogWeight && k > 0) return;
    if (k === this.#capacity) {
      let worst = 0;
      for (let i = 1; i < k; i += 1) if (r[o + i * w + LOGW] < r[o + worst * w + LOGW]) worst = i;
      // The new hypothesis comes last: it goes first only when strictly less probable than all others.
      if (logWeight < r[o + worst * w + LOGW]) return;
      r.copyWithin(o + worst * w, o + (worst + 1) * w, o + k * w);
      this.#count = k - 1;
    }
    this.open(t, x, logWeight, ordinal);
  }

  /** Writes a new hypothesis into place `i`. */
  #write(i: number, t: number, ordinal: number, x: number, logWeight: number): void {
    const r = this.#r;
    const tables = this.#t;
    const b = this.#off + i * tables.width;
    r[b + START] = t;
    r[b + ORDINAL] = ordinal;
    r[b + CENTRE] = x;
    r[b + LOGW] = logWeight;
    for (let j = 0; j < tables.nModels; j += 1) {
      const m = b + HEAD + j * MODEL;
      r[m] = 0;
      r[m + 1] = 0;
      r[m + 2] = 1;
      r[m + 3] = 0;
      r[m + 4] = tables.slopeVar[j];
      r[m + 5] = 0;
      r[m + 6] = 0;
      r[m + LOGM] = tables.logPrior;
    }
  }

  /** Moves every hypothesis one sample ahead (a missing sample: time passes, no evidence). */
  advance(): void {
    const r = this.#r;
    const tables = this.#t;
    const end = this.#off + this.#count * tables.width;
    for (let b = this.#off; b < end; b += tables.width) {
      for (let j = 0; j < tables.nModels; j += 1) {
        const m = b + HEAD + j * MODEL;
        const slope = r[m + 1];
        const p00 = r[m + 2];
        const p01 = r[m + 3];
        const p11 = r[m + 4];
        r[m] += slope;
        r[m + 2] = p00 + 2 * p01 + p11 + tables.levelDrift[j];
        r[m + 3] = p01 + p11;
        r[m + 4] = p11 + tables.slopeDrift[j];
      }
    }
  }

  /**
   * One observed sample `x` for every hypothesis: moves it ahead, scores x under its model average
   * (each model a mixture of its Student-t, weight e^logIn, and the common outlier density e^logOut,
   * noise prior σ² ~ IG(shape, shape·noiseVar)), updates the model weights, filters x into every model
   * weighted by its inlier probability, and sets the log weight to logWeight + logGrow + log predictive
   * (unnormalised). Returns the largest new log weight (−∞ when none is larger).
   */
  step(
    x: number,
    logIn: number,
    logOut: number,
    logGrow: number,
    defaultShape: number,
    noiseVar: number,
  ): number {
    const r = this.#r;
    const tables = this.#t;
    const n = tables.nModels;
    const width = tables.width;
    const levelDrift = tables.levelDrift;
    const slopeDrift = tables.slopeDrift;
    const ownShape = tables.shape;
    const end = this.#off + this.#count * width;
    const shapes = priorShapes;
    const rates = priorRates;
    for (let j = 0; j < n; j += 1) {
      const own = ownShape[j];
      shapes[j] = Number.isNaN(own) ? defaultShape : own;
      rates[j] = shapes[j] * noiseVar;
    }
    let maxWeight = -Infinity;
    for (let b = this.#off; b < end; b += width) {
      const y = x - r[b + CENTRE];
      let maxLog = -Infinity;
      for (let j = 0; j < n; j += 1) {
        const m = b + HEAD + j * MODEL;
        // advanceSegment
        let level = r[m];
        let slope = r[m + 1];
        let p00 = r[m + 2];
        let p01 = r[m + 3];
        let p11 = r[m + 4];
        level += slope;
        const a00 = p00 + 2 * p01 + p11 + levelDrift[j];
        const a01 = p01 + p11;
        p00 = a00;
        p01 = a01;
        p11 += slopeDrift[j];
        let evShape = r[m + 5];
        let evRate = r[m + 6];
        // logPredictive → logStudentT(y, 2·shape, level, scale2)
        const priorShape = shapes[j];
        const priorRate = rates[j];
        const shape = priorShape + evShape;
        const dof = 2 * shape;
        const scale2 = ((priorRate + evRate) / shape) * (p00 + 1);
        const z = y - level;
        const half = dof / 2;
        // ln Γ(h + ½) − ln Γ(h) − ½ ln(dof·π·scale2). For h ≥ 8 the asymptotic series' ½ ln h folds into
        // the second log (dof / h = 2), one log fewer in the hottest loop.
        let norm: number;
        if (half < 8) norm = logGamma(half + 0.5) - logGamma(half) - 0.5 * Math.log(dof * Math.PI * scale2);
        else {
          const i = 1 / half;
          const i2 = i * i;
          norm =
            -0.5 * Math.log(TWO_PI * scale2) -
            i / 8 +
            (i * i2) / 192 -
            (i * i2 * i2) / 640 +
            (17 * i * i2 * i2 * i2) / 14336;
        }
        const density = norm - ((dof + 1) / 2) * Math.log1p((z * z) / (dof * scale2));
        // Mixture with the outlier density: with e = exp(−|li − logOut|), mix = max + log1p(e) and the
        // inlier probability u = e^(li − mix) is 1/(1+e) or e/(1+e), so one exp serves both.
        const li = logIn + density;
        let mix: number;
        let u: number;
        if (li >= logOut) {
          const e = Math.exp(logOut - li);
          mix = li + Math.log1p(e);
          u = 1 / (1 + e);
        } else {
          const e = Math.exp(li - logOut);
          mix = logOut + Math.log1p(e);
          u = e / (1 + e);
        }
        const logm = r[m + LOGM] + mix;
        r[m + LOGM] = logm;
        if (logm > maxLog) maxLog = logm;
        // observeSegment(y, u)
        if (!(u <= 1e-9)) {
          const e = y - level;
          const spread = p00 + 1;
          const inv = 1 / (p00 + 1 / u);
          const k0 = p00 * inv;
          const k1 = p01 * inv;
          level += k0 * e;
          slope += k1 * e;
          const o00 = p00 - k0 * p00;
          const o01 = p01 - k0 * p01;
          const o11 = p11 - k1 * p01;
          p00 = o00;
          p01 = o01;
          p11 = o11;
          evShape += u / 2;
          evRate += (u * e * e) / (2 * spread);
        }
        r[m] = level;
        r[m + 1] = slope;
        r[m + 2] = p00;
        r[m + 3] = p01;
        r[m + 4] = p11;
        r[m + 5] = evShape;
        r[m + 6] = evRate;
      }
      let total = 0;
      for (let j = 0; j < n; j += 1) {
        const d = r[b + HEAD + j * MODEL + LOGM] - maxLog;
        total += d === 0 ? 1 : Math.exp(d);
      }
      const logPred = maxLog + Math.log(total);
      for (let j = 0; j < n; j += 1) r[b + HEAD + j * MODEL + LOGM] -= logPred;
      const lw = r[b + LOGW] + logGrow + logPred;
      r[b + LOGW] = lw;
      if (lw > maxWeight) maxWeight = lw;
    }
    return maxWeight;
  }

  /** first + Σ e^(logWeight − shift) over the hypotheses, oldest first (exp(0) taken as exactly 1). */
  sumExp(first: number, shift: number): number {
    const r = this.#r;
    const width = this.#t.width;
    const end = this.#off + this.#count * width;
    let total = first;
    for (let b = this.#off + LOGW; b < end; b += width) {
      const d = r[b] - shift;
      total += d === 0 ? 1 : Math.exp(d);
    }
    return total;
  }

  /** Subtracts `logZ` from every log weight. */
  normalise(logZ: number): void {
    const r = this.#r;
    const width = this.#t.width;
    const end = this.#off + this.#count * width;
    for (let b = this.#off + LOGW; b < end; b += width) r[b] -= logZ;
  }

  /** Moves the hypotheses into an array of their own with room for half as many more (up to capacity). */
  #grow(): void {
    const width = this.#t.width;
    const room = Math.min(Math.ceil(1.5 * this.#room), this.#capacity);
    const next = new Float64Array(room * width);
    next.set(this.#r.subarray(this.#off, this.#off + this.#count * width));
    this.#r = next;
    this.#off = 0;
    this.#room = room;
  }
}
