// The run-length posterior of the detector: one hypothesis per candidate segment start, each holding a
// small Bayesian model average over segment models, in one flat typed array (bounded, no allocation per step).

import {
  advanceSegment,
  logPredictive,
  observeSegment,
  openSegment,
  type SegmentDrift,
  type SegmentState,
} from './segment-model.ts';

/** One segment model of the average: slope prior and drifts, in noise standard deviations / variances. */
export interface SegmentModelSpec {
  /** Standard deviation of the slope at the segment's start, in noise standard deviations per sample. */
  readonly slopePrior: number;
  /** Random-walk variance of the level per sample, relative to the noise variance. */
  readonly levelDrift: number;
  /** Random-walk variance of the slope per sample, relative to the noise variance. */
  readonly slopeDrift: number;
  /** Shape α₀ of this model's noise-variance prior; absent = the detector's `varianceShape`. */
  readonly varianceShape?: number;
}

// Per run: start, centre, log posterior; then per model: 7 state numbers, log model weight, inlier prob.
const START = 0;
const CENTRE = 1;
const LOGW = 2;
const HEAD = 3;
const MODEL = 9;
const LOGM = 7;
const INLIER = 8;

export class RunSet {
  readonly #models: readonly SegmentModelSpec[];
  readonly #drifts: readonly SegmentDrift[];
  readonly #width: number;
  readonly #capacity: number;
  readonly #r: Float64Array;
  readonly #seg: SegmentState = { level: 0, slope: 0, p00: 0, p01: 0, p11: 0, shape: 1, rate: 0 };
  #count = 0;

  /** `capacity` hypotheses at most, each averaging `models`. */
  constructor(capacity: number, models: readonly SegmentModelSpec[]) {
    this.#models = models;
    this.#drifts = models.map((m) => ({ level: m.levelDrift, slope: m.slopeDrift }));
    this.#width = HEAD + MODEL * models.length;
    this.#capacity = capacity;
    this.#r = new Float64Array((capacity + 1) * this.#width);
  }

  get count(): number {
    return this.#count;
  }

  /** First sample index of hypothesis `i` (hypotheses are ordered oldest first). */
  start(i: number): number {
    return this.#r[i * this.#width + START];
  }

  /** Log posterior probability of hypothesis `i` (normalised after each `observe`). */
  logWeight(i: number): number {
    return this.#r[i * this.#width + LOGW];
  }

  /**
   * Adds a hypothesis whose segment starts with value `x` at sample `t`. The level has a flat prior, so
   * after this first sample it is x with variance σ² (the caller charges x a broad reference density).
   */
  open(t: number, x: number, logWeight: number): void {
    const b = this.#count * this.#width;
    this.#count += 1;
    this.#r[b + START] = t;
    this.#r[b + CENTRE] = x;
    this.#r[b + LOGW] = logWeight;
    const logPrior = -Math.log(this.#models.length);
    for (let j = 0; j < this.#models.length; j += 1) {
      const slope = this.#models[j].slopePrior;
      openSegment(this.#seg, 1, slope * slope);
      this.#store(b + HEAD + j * MODEL);
      this.#r[b + HEAD + j * MODEL + LOGM] = logPrior;
    }
  }

  /** Moves every hypothesis one sample ahead (also on missing samples). */
  advance(): void {
    for (let i = 0; i < this.#count; i += 1) {
      for (let j = 0; j < this.#models.length; j += 1) {
        const m = i * this.#width + HEAD + j * MODEL;
        this.#load(m);
        advanceSegment(this.#seg, this.#drifts[j]);
        this.#store(m);
      }
    }
  }

  /**
   * Log predictive density of `x` under hypothesis `i` (model average, each model a mixture of its
   * Student-t with weight e^logIn and the common outlier density e^logOut), with noise prior
   * σ² ~ IG(priorShape, priorRate); updates the model weights and remembers the inlier probabilities.
   */
  predict(
    i: number,
    x: number,
    logIn: number,
    logOut: number,
    defaultShape: number,
    noiseVar: number,
  ): number {
    const b = i * this.#width;
    const y = x - this.#r[b + CENTRE];
    let maxLog = -Infinity;
    for (let j = 0; j < this.#models.length; j += 1) {
      const m = b + HEAD + j * MODEL;
      this.#load(m);
      const shape = this.#models[j].varianceShape ?? defaultShape;
      const li = logIn + logPredictive(this.#seg, y, shape, shape * noiseVar);
      const hi = Math.max(li, logOut);
      const lp = hi + Math.log(Math.exp(li - hi) + Math.exp(logOut - hi));
      this.#r[m + INLIER] = Math.exp(li - lp);
      this.#r[m + LOGM] += lp;
      if (this.#r[m + LOGM] > maxLog) maxLog = this.#r[m + LOGM];
    }
    let total = 0;
    for (let j = 0; j < this.#models.length; j += 1)
      total += Math.exp(this.#r[b + HEAD + j * MODEL + LOGM] - maxLog);
    const logPred = maxLog + Math.log(total);
    for (let j = 0; j < this.#models.length; j += 1) this.#r[b + HEAD + j * MODEL + LOGM] -= logPred;
    return logPred;
  }

  /** Sets the log posterior of hypothesis `i`. */
  setLogWeight(i: number, logWeight: number): void {
    this.#r[i * this.#width + LOGW] = logWeight;
  }

  /** Filters `x` into every model of hypothesis `i`, weighted by the inlier probabilities of `predict`. */
  observe(i: number, x: number): void {
    const b = i * this.#width;
    const y = x - this.#r[b + CENTRE];
    for (let j = 0; j < this.#models.length; j += 1) {
      const m = b + HEAD + j * MODEL;
      this.#load(m);
      observeSegment(this.#seg, y, this.#r[m + INLIER]);
      this.#store(m);
    }
  }

  /**
   * Drops hypotheses whose log posterior is below `minLogWeight` (never the last one), then the least
   * probable ones until at most `capacity` remain; oldest-first order is kept. O(count).
   */
  prune(minLogWeight: number): void {
    const r = this.#r;
    const w = this.#width;
    let k = 0;
    for (let i = 0; i < this.#count; i += 1) {
      if (r[i * w + LOGW] < minLogWeight && k + (this.#count - i) > 1) continue;
      if (k !== i) r.copyWithin(k * w, i * w, (i + 1) * w);
      k += 1;
    }
    this.#count = k;
    while (this.#count > this.#capacity) {
      let worst = 0;
      for (let i = 1; i < this.#count; i += 1) if (r[i * w + LOGW] < r[worst * w + LOGW]) worst = i;
      r.copyWithin(worst * w, (worst + 1) * w, this.#count * w);
      this.#count -= 1;
    }
  }

  #load(m: number): void {
    const r = this.#r;
    const g = this.#seg;
    g.level = r[m];
    g.slope = r[m + 1];
    g.p00 = r[m + 2];
    g.p01 = r[m + 3];
    g.p11 = r[m + 4];
    g.shape = r[m + 5];
    g.rate = r[m + 6];
  }

  #store(m: number): void {
    const r = this.#r;
    const g = this.#seg;
    r[m] = g.level;
    r[m + 1] = g.slope;
    r[m + 2] = g.p00;
    r[m + 3] = g.p01;
    r[m + 4] = g.p11;
    r[m + 5] = g.shape;
    r[m + 6] = g.rate;
  }
}
