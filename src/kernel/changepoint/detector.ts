// Online Bayesian change-point detector (Adams & MacKay 2007, constant hazard) over one numeric stream.
// Each sample is seen once; a change is declared from data up to that sample, its start estimated backwards.

import { RigtuneError } from '../../core/errors.ts';
import { findSupportedStart } from './declare.ts';
import { medianInPlace } from './median.ts';
import { type ChangePointOptions, resolveChangePointOptions } from './options.ts';
import { RobustScale } from './robust-scale.ts';
import { RunSet } from './run-set.ts';
import { type Settings, settingsOf } from './settings.ts';
import { allocateSlab, type Slab, type SlabSize } from './storage.ts';

/** A change declared by the detector. Indices count samples pushed, missing ones included (0-based). */
export interface DetectedChange {
  /** Estimated index of the first sample of the new segment (retrospective). */
  readonly startIndex: number;
  /** Index of the sample at which the change was declared (≥ startIndex). */
  readonly detectedIndex: number;
  /** Posterior probability (0..1), at declaration, that a segment started within ±startTolerance of startIndex. */
  readonly hazard: number;
}

/**
 * What one `update` reports. The detector returns the same object every time, overwritten by its next
 * `update`: read it (or copy what you need) before updating again. `detected` is a fresh object.
 */
export interface ChangePointStep {
  /** Posterior probability (0..1) that a new segment began within the last `changeWindow` samples. */
  readonly changeProb: number;
  /** Length in samples of the most probable current segment (MAP run length, this sample included); 0 = none yet. */
  readonly runLength: number;
  /** The change declared at this sample, or null when none was. */
  readonly detected: DetectedChange | null;
}

const LOG_PI = Math.log(Math.PI);

/** Log density of a Cauchy distribution with location `loc` and half-width `width` at `x`. */
function logCauchy(x: number, loc: number, width: number): number {
  const z = (x - loc) / width;
  return -LOG_PI - Math.log(width) - Math.log1p(z * z);
}
/** Readings beyond this magnitude are treated as missing: their squares would overflow the statistics. */
const MAX_ABS_VALUE = 1e100;
/** Marks a held (repeated) reading. */
const REPEAT = Symbol('repeat');
/** Observations in the spike-proof level (median) used as a new segment's centre. */
const LEVEL_SPAN = 5;
/** Completed runs of identical readings remembered to estimate the hold period. */
const HOLD_HISTORY = 8;
/** Scratch of the warm-up level median (detectors run one at a time). */
const levelWork = new Float64Array(LEVEL_SPAN);

/**
 * The detector. Its numbers live in one buffer (hypotheses, the robust scale's window and the hold
 * history: about 4 KB with the defaults) and each `update` allocates nothing once warmed up, unless a
 * change is declared.
 */
export class ChangePointDetector {
  readonly #s: Settings;
  readonly #scale: RobustScale;
  readonly #runs: RunSet;
  /**
   * From #holdsAt on: the lengths of the last HOLD_HISTORY completed runs of identical readings (a
   * ring, 0 = none yet), then the last accepted reading (NaN = none).
   */
  readonly #holds: Float64Array;
  readonly #holdsAt: number;
  #holdsCount = 0;
  /** The step object every update returns. */
  readonly #result: { changeProb: number; runLength: number; detected: DetectedChange | null };
  #t = 0;
  #firstIndex = -1;
  #lastStart = 0;
  /** Length of the current run of identical readings. */
  #holdRun = 0;
  /**
   * Warm-up: samples (null = no evidence) buffered until the noise scale rests on `warmup` observations
   * (the scale's count); null once warm.
   */
  #pending: Array<number | null | typeof REPEAT> | null = [];

  /**
   * Doubles and bytes a detector with `options` keeps in a slab (see the constructor); throws
   * RT_KERNEL_ARGUMENT on a bad option.
   */
  static sizeOf(options: Partial<ChangePointOptions> = {}): SlabSize {
    const s = settingsOf(resolveChangePointOptions(options));
    const scaleSize = RobustScale.sizeOf(s.o.scaleWindow, false);
    return { f64: s.runsSize + HOLD_HISTORY + 1 + scaleSize.f64, u8: scaleSize.u8 };
  }

  /**
   * Options are merged over DEFAULT_CHANGEPOINT_OPTIONS; throws RT_KERNEL_ARGUMENT on a bad value. The
   * detector's numbers live in `slab` (`sizeOf(options)` of it: doubles from `f64Off` on, bytes from 0),
   * so that an owner can keep several parts in one buffer; by default a slab of its own.
   */
  constructor(options: Partial<ChangePointOptions> = {}, slab?: Slab, f64Off = 0) {
    const s = settingsOf(resolveChangePointOptions(options));
    const o = s.o;
    this.#s = s;
    const holdsAt = f64Off + s.runsSize;
    const scaleAt = holdsAt + HOLD_HISTORY + 1;
    const scaleSize = RobustScale.sizeOf(o.scaleWindow, false);
    const own = slab ?? allocateSlab({ f64: scaleAt + scaleSize.f64, u8: scaleSize.u8 });
    if (!(f64Off >= 0 && own.f64.length >= scaleAt + scaleSize.f64 && own.u8.length >= scaleSize.u8))
      throw new RigtuneError('RT_KERNEL_ARGUMENT', `a shared slab cannot hold this detector at ${f64Off}`);
    this.#runs = new RunSet(o.maxRuns, o.segmentModels, own.f64, f64Off);
    this.#holds = own.f64;
    this.#holdsAt = holdsAt;
    this.#holds[holdsAt + HOLD_HISTORY] = Number.NaN;
    // Unindexed: the scale numbers observations itself, and a run keeps its first one's ordinal.
    this.#scale = new RobustScale(o.scaleWindow, o.minRelativeScale, false, own, scaleAt);
    this.#result = { changeProb: 0, runLength: 0, detected: null };
  }

  /** Run-length hypotheses currently kept (≤ maxRuns). */
  get hypotheses(): number {
    return this.#runs.count;
  }

  /**
   * Pushes the next sample, in the stream's unit. null, NaN, ±Infinity and |x| > 1e100 are missing
   * samples (time advances, no evidence), and so is an exact repeat when `skipRepeats` is on. Never
   * throws; every number it returns is finite. Returns this detector's one step object, overwritten by
   * the next update.
   */
  update(x: number | null): ChangePointStep {
    const t = this.#t;
    this.#t += 1;
    const value = this.#accept(x);
    if (this.#pending === null)
      return value === REPEAT
        ? this.#report(t, null)
        : this.#step(t, value, this.#scale.count, this.#scale.level, false);
    return this.#warmUp(t, value);
  }

  /**
   * The evidence in `x`: the value; null when missing (time passes unobserved); REPEAT for an exact
   * repeat of the previous reading with skipRepeats on, taken as a held value: no new reading, so the
   * segment models neither observe it nor move on in time (a genuinely constant signal keeps its
   * certainty, a held noisy one is not counted many times).
   */
  #accept(x: number | null): number | null | typeof REPEAT {
    if (x === null || !Number.isFinite(x) || Math.abs(x) > MAX_ABS_VALUE) return null;
    const holds = this.#holds;
    const at = this.#holdsAt;
    if (this.#s.o.skipRepeats && x === holds[at + HOLD_HISTORY]) {
      this.#holdRun += 1;
      // Held longer than the sensor's usual hold period: the reading is fresh and merely equal
      // (a fan stopped at 0, a constant level after a step), so it counts once per hold period.
      const period = this.#holdPeriod();
      return (this.#holdRun - 1) % period === 0 ? x : REPEAT;
    }
    if (this.#holdRun > 0) {
      holds[at + (this.#holdsCount % HOLD_HISTORY)] = this.#holdRun;
      this.#holdsCount += 1;
    }
    this.#holdRun = 1;
    holds[at + HOLD_HISTORY] = x;
    return x;
  }

  /** Samples a reading is usually held: the longest of the recent completed runs, at most maxHold. */
  #holdPeriod(): number {
    let longest = 0;
    const at = this.#holdsAt;
    for (let i = 0; i < HOLD_HISTORY; i += 1) longest = Math.max(longest, this.#holds[at + i]);
    const maxHold = this.#s.o.maxHold;
    return longest === 0 ? maxHold : Math.min(longest, maxHold);
  }

  /** The step object with nothing to report yet. */
  #quiet(): ChangePointStep {
    const r = this.#result;
    r.changeProb = 0;
    r.runLength = 0;
    r.detected = null;
    return r;
  }

  /**
   * Buffers samples until `warmup` observations fixed the noise scale (or the buffer fills), then replays
   * them through the filter. Nothing can be declared before that sample, so no step looks ahead.
   */
  #warmUp(t: number, value: number | null | typeof REPEAT): ChangePointStep {
    const o = this.#s.o;
    let pending = this.#pending ?? [];
    this.#pending = pending;
    pending.push(value);
    if (typeof value === 'number') this.#scale.push(value, t);
    const observed = this.#scale.count;
    const full = pending.length >= o.scaleWindow;
    if (observed === 0 && full) {
      pending = [];
      this.#pending = pending;
    }
    if ((observed < o.warmup && !full) || observed === 0) return this.#quiet();
    this.#pending = null;
    const t0 = t - pending.length + 1;
    const recent: number[] = [];
    for (const [k, v] of pending.entries()) {
      if (v === REPEAT) continue;
      // The scale saw the observed ones in this order, from ordinal 0.
      this.#step(t0 + k, v, recent.length, this.#median(recent), true);
      if (this.#pending !== null) return this.#quiet(); // restarted
      if (v !== null) recent.push(v);
    }
    // Declared only now, at the sample that ended the warm-up (nothing is declared during the replay).
    return this.#report(t, this.#declare(t));
  }

  /** Median of the last LEVEL_SPAN entries of `values` (NaN when empty). */
  #median(values: readonly number[]): number {
    const k = Math.min(values.length, LEVEL_SPAN);
    for (let i = 0; i < k; i += 1) levelWork[i] = values[values.length - 1 - i];
    return k === 0 ? Number.NaN : medianInPlace(levelWork, k);
  }

  /**
   * One filter step at sample `t`; `ordinal` numbers x among the scale's observations; `level` is the
   * recent median before it; `replay` = warm-up replay.
   */
  #step(t: number, x: number | null, ordinal: number, level: number, replay: boolean): ChangePointStep {
    const s = this.#s;
    const o = s.o;
    const runs = this.#runs;
    if (x === null) {
      runs.advance();
      return this.#report(t, null);
    }
    if (runs.count === 0) {
      this.#firstIndex = t;
      this.#lastStart = t;
      runs.open(t, x, 0, ordinal);
      if (!replay) this.#scale.push(x, t);
      return this.#report(t, null);
    }
    const scale = this.#scale.scale;
    // Broad reference densities (Cauchy around the recent level): an outlier for any segment, and the
    // first sample of a new segment, whose level has a flat prior. Being common to all hypotheses, a
    // lone spike leaves their relative weights alone and no jump size is ruled out. Each hypothesis
    // also filters x into its models here (that does not depend on the normalisation below).
    const logOut = s.logOutlierProb + logCauchy(x, level, o.outlierScale * scale);
    let maxLog = runs.step(x, s.logInlierProb, logOut, s.logGrow, o.varianceShape, scale * scale);
    // The segment starting here (the old weights sum to 1).
    const logNew = s.logHazard + logCauchy(x, level, o.levelPrior * scale);
    maxLog = Math.max(maxLog, logNew);
    const d = logNew - maxLog;
    const total = runs.sumExp(d === 0 ? 1 : Math.exp(d), maxLog);
    const logZ = maxLog + Math.log(total);
    if (!Number.isFinite(logZ)) return this.#restart(t, x);
    runs.normalise(logZ);
    runs.openPruned(t, x, logNew - logZ, ordinal, s.logPruneBelow);
    if (replay) return this.#report(t, null);
    this.#scale.push(x, t);
    return this.#report(t, this.#declare(t));
  }

  /** Numerical safety net (not reached on finite data below MAX_ABS_VALUE): warm up afresh from `t`. */
  #restart(t: number, x: number): ChangePointStep {
    this.#scale.reset();
    this.#runs.reset();
    this.#pending = [];
    return this.#warmUp(t, x);
  }

  /** Declares the best-supported new start, if any, at least minSegment after the last declared one. */
  #declare(t: number): DetectedChange | null {
    const o = this.#s.o;
    const earliest = this.#lastStart + o.minSegment;
    const latest = t - o.minRun + 1;
    if (latest < earliest) return null;
    const found = findSupportedStart(this.#runs, earliest, latest, o.startTolerance, o.threshold);
    if (found === null) return null;
    this.#lastStart = found.startIndex;
    if (o.rebaseScale) this.#scale.rebase(this.#runs.ordinal(found.run));
    return { startIndex: found.startIndex, detectedIndex: t, hazard: found.mass };
  }

  #report(t: number, detected: DetectedChange | null): ChangePointStep {
    const runs = this.#runs;
    const changeWindow = this.#s.o.changeWindow;
    let recent = 0;
    let best = -Infinity;
    let runLength = 0;
    for (let i = 0; i < runs.count; i += 1) {
      const len = t - runs.start(i) + 1;
      const logw = runs.logWeight(i);
      // The stream's first segment is not a change, however young it is.
      if (len <= changeWindow && runs.start(i) !== this.#firstIndex) recent += Math.exp(logw);
      if (logw > best) {
        best = logw;
        runLength = len;
      }
    }
    const r = this.#result;
    r.changeProb = Math.min(1, Math.max(0, recent));
    r.runLength = runLength;
    r.detected = detected;
    return r;
  }
}
