// The segment models a detector averages, and their per-model constants laid out as typed arrays once
// per model list, so that every hypothesis set built from the same (frozen) list shares them.

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

/** Per-model constants of a model list, shared by every RunSet built from the same (frozen) list. */
export interface ModelTables {
  readonly nModels: number;
  /** Doubles per hypothesis. */
  readonly width: number;
  /** Log prior weight of each model (equal weights). */
  readonly logPrior: number;
  readonly levelDrift: Float64Array;
  readonly slopeDrift: Float64Array;
  readonly slopeVar: Float64Array;
  /** Each model's own variance shape, NaN = the detector's default. */
  readonly shape: Float64Array;
}

const tablesByModels = new WeakMap<readonly SegmentModelSpec[], ModelTables>();

/**
 * The tables of `models` for hypotheses of `head` doubles plus `perModel` per model (cached for a frozen
 * list, whose tables cannot go stale).
 */
export function tablesOf(models: readonly SegmentModelSpec[], head: number, perModel: number): ModelTables {
  let t = tablesByModels.get(models);
  if (t === undefined) {
    t = {
      nModels: models.length,
      width: head + perModel * models.length,
      logPrior: -Math.log(models.length),
      levelDrift: Float64Array.from(models, (m) => m.levelDrift),
      slopeDrift: Float64Array.from(models, (m) => m.slopeDrift),
      slopeVar: Float64Array.from(models, (m) => m.slopePrior * m.slopePrior),
      shape: Float64Array.from(models, (m) => m.varianceShape ?? Number.NaN),
    };
    // Only a frozen list is known not to change later.
    if (Object.isFrozen(models) && models.every((m) => Object.isFrozen(m))) tablesByModels.set(models, t);
  }
  return t;
}
