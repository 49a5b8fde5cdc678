// Options of the online change-point detector, their defaults and their validation.
// One fixed default configuration serves live telemetry and the TCPD evaluation alike (see README.md).

import { RigtuneError } from '../../core/errors.ts';
import type { SegmentModelSpec } from './model-tables.ts';

export type { SegmentModelSpec } from './model-tables.ts';

/**
 * Settings of `ChangePointDetector`. "Noise scale" s is the robust per-sample noise standard deviation
 * the detector estimates itself (MAD of first differences), so every option is free of the data's unit.
 * Indices and sample counts include missing samples unless said otherwise.
 */
export interface ChangePointOptions {
  /** Prior probability that a new segment starts at an observed sample (1 / expected segment length). */
  readonly hazard: number;
  /** Segment models averaged (equal prior weight) inside every run-length hypothesis; at least one. */
  readonly segmentModels: readonly SegmentModelSpec[];
  /** Half-width of the (Cauchy) reference density of a new segment's first value around the recent median, in noise scales. */
  readonly levelPrior: number;
  /** Shape α₀ of a new segment's inverse-gamma noise-variance prior (worth 2α₀ samples at variance s²). */
  readonly varianceShape: number;
  /** Probability that a sample is an outlier from a broad density, so lone spikes open no segment. */
  readonly outlierProb: number;
  /** Half-width of the (Cauchy) outlier density, in noise scales. */
  readonly outlierScale: number;
  /** An exact repeat of the previous reading is a held value: time advances, no evidence is added. */
  readonly skipRepeats: boolean;
  /**
   * Longest hold period, in samples: a reading repeated beyond the usual hold period (the longest of
   * the last 8 runs of identical readings, at most this) counts again, once per period.
   */
  readonly maxHold: number;
  /** After a declared change the noise scale forgets the old segment once the new one has 10 differences. */
  readonly rebaseScale: boolean;
  /** Trailing window of the robust noise scale and level, in observations. */
  readonly scaleWindow: number;
  /** Lower bound of the noise scale as a fraction of the window's median |value| (unitless). */
  readonly minRelativeScale: number;
  /** Observations seen before a new segment may be opened (the noise scale needs a few differences). */
  readonly warmup: number;
  /** Posterior probability (0..1) that a segment started within ±startTolerance of one index, to declare it. */
  readonly threshold: number;
  /** Half-width of the index window whose posterior mass is compared with `threshold`, in samples. */
  readonly startTolerance: number;
  /** Samples of the new segment (its first included) needed before it may be declared. */
  readonly minRun: number;
  /** Minimum distance between two declared start indices, in samples. */
  readonly minSegment: number;
  /** `changeProb` is the posterior probability that the current segment is at most this many samples old. */
  readonly changeWindow: number;
  /** Most run-length hypotheses kept (the least probable go first); bounds memory and time per sample. */
  readonly maxRuns: number;
  /** Run-length hypotheses whose posterior probability falls below this are dropped. */
  readonly pruneBelow: number;
}

/** The one default configuration; each value is explained in src/kernel/changepoint/README.md. */
export const DEFAULT_CHANGEPOINT_OPTIONS: ChangePointOptions = Object.freeze({
  hazard: 0.003,
  segmentModels: Object.freeze([
    Object.freeze({ slopePrior: 0, levelDrift: 0, slopeDrift: 0 }),
    Object.freeze({ slopePrior: 0.1, levelDrift: 0.3, slopeDrift: 0.03 }),
    Object.freeze({ slopePrior: 0.3, levelDrift: 0, slopeDrift: 0 }),
  ]),
  levelPrior: 30,
  varianceShape: 8,
  outlierProb: 0.03,
  outlierScale: 30,
  skipRepeats: true,
  maxHold: 10,
  rebaseScale: true,
  scaleWindow: 100,
  minRelativeScale: 1e-3,
  warmup: 5,
  threshold: 0.9,
  startTolerance: 2,
  minRun: 3,
  minSegment: 5,
  changeWindow: 5,
  maxRuns: 8,
  pruneBelow: 1e-4,
});

function check(ok: boolean, name: string, rule: string): void {
  if (!ok) throw new RigtuneError('RT_KERNEL_ARGUMENT', `change-point option ${name} must be ${rule}`);
}

const isCount = (v: number, min: number) => Number.isInteger(v) && v >= min;

/** Merges `options` over the defaults and validates them; throws RT_KERNEL_ARGUMENT on a bad value. */
export function resolveChangePointOptions(options: Partial<ChangePointOptions> = {}): ChangePointOptions {
  // No overrides: the frozen defaults themselves (one object shared by every detector of a fleet).
  if (Object.keys(options).length === 0) return DEFAULT_CHANGEPOINT_OPTIONS;
  const o = { ...DEFAULT_CHANGEPOINT_OPTIONS, ...options };
  const finite = (v: number) => typeof v === 'number' && Number.isFinite(v);
  check(finite(o.hazard) && o.hazard > 0 && o.hazard < 1, 'hazard', 'in (0, 1)');
  check(Array.isArray(o.segmentModels) && o.segmentModels.length > 0, 'segmentModels', 'a non-empty list');
  for (const m of o.segmentModels) {
    const ok = [m?.slopePrior, m?.levelDrift, m?.slopeDrift].every((v) => finite(v) && v >= 0);
    check(ok, 'segmentModels', 'models with finite slopePrior, levelDrift, slopeDrift ≥ 0');
    const shape = m.varianceShape;
    check(
      shape === undefined || (finite(shape) && shape > 0),
      'segmentModels',
      'models with varianceShape > 0',
    );
  }
  check(finite(o.levelPrior) && o.levelPrior > 0, 'levelPrior', '> 0');
  check(finite(o.varianceShape) && o.varianceShape > 0, 'varianceShape', '> 0');
  check(finite(o.outlierProb) && o.outlierProb > 0 && o.outlierProb < 1, 'outlierProb', 'in (0, 1)');
  check(finite(o.outlierScale) && o.outlierScale > 0, 'outlierScale', '> 0');
  check(typeof o.skipRepeats === 'boolean', 'skipRepeats', 'a boolean');
  check(isCount(o.maxHold, 1), 'maxHold', 'an integer ≥ 1');
  check(typeof o.rebaseScale === 'boolean', 'rebaseScale', 'a boolean');
  check(isCount(o.scaleWindow, 4), 'scaleWindow', 'an integer ≥ 4');
  check(finite(o.minRelativeScale) && o.minRelativeScale >= 0, 'minRelativeScale', '≥ 0');
  check(isCount(o.warmup, 2), 'warmup', 'an integer ≥ 2');
  check(finite(o.threshold) && o.threshold > 0 && o.threshold <= 1, 'threshold', 'in (0, 1]');
  check(isCount(o.startTolerance, 0), 'startTolerance', 'an integer ≥ 0');
  check(isCount(o.minRun, 1), 'minRun', 'an integer ≥ 1');
  check(isCount(o.minSegment, 1), 'minSegment', 'an integer ≥ 1');
  check(isCount(o.changeWindow, 1), 'changeWindow', 'an integer ≥ 1');
  check(isCount(o.maxRuns, 8), 'maxRuns', 'an integer ≥ 8');
  check(finite(o.pruneBelow) && o.pruneBelow >= 0 && o.pruneBelow < 0.01, 'pruneBelow', 'in [0, 0.01)');
  return o;
}
