// Online detector of a sustained rise in a device's bad-share rate from sparse per-step share counts: a
// mixture Shiryaev–Roberts test of binomial counts against a forgetting Beta-like baseline, CUSUM-dated.

import type { SnapshotValues } from '../../core/snapshot.ts';
import { type RejectRiseOptions, resolveRejectRiseOptions } from './options.ts';

/** Share-counter deltas of one step (current counter minus previous; null = not reported or not computable). */
export type ShareCounterDeltas = Partial<
  Pick<
    SnapshotValues,
    'accepted_shares' | 'rejected_shares' | 'stale_shares' | 'diff_accepted' | 'diff_rejected' | 'diff_stale'
  >
>;

/** One step's evidence: `all` shares, of which `bad` (rejected + stale; fractional when difficulty-weighted). */
export interface ShareStep {
  readonly bad: number;
  readonly all: number;
}

const count = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : null;

/**
 * Turns a step's counter deltas into evidence. `all` = Δaccepted + Δrejected + Δstale (share counts: the
 * number of binomial trials). `bad` = Δrejected + Δstale by count, or, when the accepted and rejected
 * difficulty deltas are present and positive in sum, `all` × the difficulty-weighted bad fraction (so a
 * rejected high-difficulty share weighs more, as in the reject-rate KPI). A missing stale counter counts
 * as none. Null when accepted or rejected counts are missing, negative or non-finite (a reset, a gap).
 */
export function shareStep(d: ShareCounterDeltas): ShareStep | null {
  const accepted = count(d.accepted_shares);
  const rejected = count(d.rejected_shares);
  if (accepted === null || rejected === null) return null;
  const stale = count(d.stale_shares) ?? 0;
  const all = accepted + rejected + stale;
  if (!Number.isFinite(all)) return null;
  const badCount = rejected + stale;
  const diffAccepted = count(d.diff_accepted);
  const diffRejected = count(d.diff_rejected);
  if (all === 0 || diffAccepted === null || diffRejected === null) return { bad: badCount, all };
  const diffBad = diffRejected + (count(d.diff_stale) ?? 0);
  const diffAll = diffAccepted + diffBad;
  if (!(diffAll > 0) || !Number.isFinite(diffAll)) return { bad: badCount, all };
  return { bad: Math.min(all, (all * diffBad) / diffAll), all };
}

/** A rise declared by the detector. Indices count `update` calls (0-based), share-less and missing ones included. */
export interface DetectedRise {
  /** Estimated first step of the raised rate: the first share step of the winning CUSUM excursion. */
  readonly startIndex: number;
  /** The step at which the rise was declared (≥ startIndex). */
  readonly detectedIndex: number;
  /** Posterior probability (0..1) of a rise at declaration (≥ threshold). */
  readonly hazard: number;
  /** Baseline bad-share rate p₀ (0..1) the rise was measured against. */
  readonly baselineRate: number;
  /** Bad-share rate (0..1) of the new segment, startIndex..detectedIndex. */
  readonly segmentRate: number;
}

/** What one `update` reports. */
export interface RejectRiseStep {
  /** Posterior probability (0..1) that the rate rose since the last declaration (or the start). */
  readonly changeProb: number;
  /** Baseline bad-share rate p₀ (0..1) this step was tested against. */
  readonly baselineRate: number;
  /** The rise declared at this step, or null. */
  readonly detected: DetectedRise | null;
}

const softplus = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const MAX_BASELINE = 0.999;
/** Shares seen per share step of baseline lag (see #learnLagged). */
const LAG_MATURITY = 16;
/** More shares than this in one step is a counter glitch, not evidence (and could overflow the sums). */
const MAX_SHARES_PER_STEP = 1e9;

/** The detector's scalars, after the per-alternative numbers and the lag ring in its one array (see #s). */
const BAD_W = 0;
const ALL_W = 1;
const LAG_COUNT = 2;
const LAG_HEAD = 3;
const SHARES = 4;
const INDEX = 5;
const LAST_DETECTED = 6;
const CHANGE_PROB = 7;
const LOG_HAZARD = 8;
const LOG_WEIGHT = 9;
const SCALARS = 10;

export class RejectRiseDetector {
  readonly #o: RejectRiseOptions;
  /**
   * Per alternative k (K of them), in one array: [k] log Shiryaev–Roberts statistic, [K + k] CUSUM (nats),
   * [2K + k] index where its excursion began, [3K + k] and [4K + k] the excursion's bad and all shares;
   * then the lag ring: the last `baselineLag` tested share steps as (bad, all) pairs, not yet in the baseline;
   * then, from #at, the scalars: the forgetting baseline (discounted bad and all share counts, the prior
   * entering as pseudo-counts), the pairs held in the lag ring and the oldest one, the shares seen, the
   * step index, the step of the last declaration, the change probability, log hazard and log prior weight.
   * Numbers in an array rather than fields: a fleet holds one detector per device.
   */
  readonly #s: Float64Array;
  /** Offset of the lag ring in #s, its capacity (pairs), and the offset of the scalars. */
  readonly #lagAt: number;
  readonly #lagSize: number;
  readonly #at: number;

  /** Throws RT_KERNEL_ARGUMENT on a bad option. */
  constructor(options: Partial<RejectRiseOptions> = {}) {
    const o = resolveRejectRiseOptions(options);
    this.#o = o;
    const k = o.rises.length;
    this.#lagAt = 5 * k;
    this.#lagSize = o.baselineLag;
    const at = 5 * k + 2 * o.baselineLag;
    this.#at = at;
    const s = new Float64Array(at + SCALARS).fill(Number.NEGATIVE_INFINITY, 0, k);
    s[at + LOG_HAZARD] = Math.log(o.hazard);
    s[at + LOG_WEIGHT] = -Math.log(k);
    s[at + BAD_W] = o.priorRate * o.priorShares;
    s[at + ALL_W] = o.priorShares;
    s[at + INDEX] = -1;
    s[at + LAST_DETECTED] = Number.NEGATIVE_INFINITY;
    this.#s = s;
  }

  /** Current baseline bad-share rate p₀ (0..1). */
  get baselineRate(): number {
    const p = this.#s[this.#at + BAD_W] / this.#s[this.#at + ALL_W];
    return Math.min(MAX_BASELINE, Math.max(this.#o.minBaselineRate, p));
  }

  /** Convenience: `update` from a step's counter deltas (see `shareStep`). */
  updateDeltas(d: ShareCounterDeltas): RejectRiseStep {
    const s = shareStep(d);
    return s === null ? this.update(null, null) : this.update(s.bad, s.all);
  }

  /**
   * Feeds the next step: `all` shares of which `bad` were bad (null, NaN, negative, bad > all or more than
   * 1e9 shares = missing: the step counts, adds no evidence). Never throws; returns finite numbers only.
   */
  update(bad: number | null, all: number | null): RejectRiseStep {
    const s = this.#s;
    const at = this.#at;
    s[at + INDEX] += 1;
    const index = s[at + INDEX];
    const p0 = this.baselineRate;
    const valid =
      typeof bad === 'number' &&
      typeof all === 'number' &&
      all <= MAX_SHARES_PER_STEP &&
      bad >= 0 &&
      bad <= all;
    if (!valid || all === 0) return { changeProb: s[at + CHANGE_PROB], baselineRate: p0, detected: null };
    const o = this.#o;
    if (s[at + SHARES] < o.warmupShares) {
      s[at + SHARES] += all;
      this.#learn(bad, all);
      return { changeProb: s[at + CHANGE_PROB], baselineRate: p0, detected: null };
    }
    s[at + SHARES] += all;
    const n = o.rises.length;
    let best = 0;
    let logSum = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k += 1) {
      const p1 = p0 + o.rises[k] * (1 - p0);
      const llr = bad * Math.log(p1 / p0) + (all - bad) * Math.log((1 - p1) / (1 - p0));
      // Shiryaev–Roberts: R ← (1 + R)·Λ, in logs; CUSUM: W ← max(0, W + log Λ), restarting its excursion at 0.
      s[k] = softplus(s[k]) + llr;
      if (s[n + k] <= 0) {
        s[2 * n + k] = index;
        s[3 * n + k] = 0;
        s[4 * n + k] = 0;
      }
      s[n + k] = Math.max(0, s[n + k] + llr);
      s[3 * n + k] += bad;
      s[4 * n + k] += all;
      if (s[k] > s[best]) best = k;
      logSum = logAddExp(logSum, s[k]);
    }
    const logOdds = s[at + LOG_HAZARD] + s[at + LOG_WEIGHT] + logSum;
    const changeProb = 1 / (1 + Math.exp(-logOdds));
    s[at + CHANGE_PROB] = changeProb;
    this.#learnLagged(bad, all);
    if (
      changeProb < o.threshold ||
      s[3 * n + best] < o.minBadShares ||
      index - s[at + LAST_DETECTED] < o.refractorySamples
    )
      return { changeProb, baselineRate: p0, detected: null };
    const detected = this.#declare(best, changeProb, p0);
    return { changeProb, baselineRate: p0, detected };
  }

  /**
   * Queues a tested step; steps older than the lag enter the baseline. The lag grows with the shares
   * seen (one share step per LAG_MATURITY shares, at most `baselineLag`): a young baseline must learn at once.
   */
  #learnLagged(bad: number, all: number): void {
    const lag = this.#s;
    const base = this.#lagAt;
    const size = this.#lagSize;
    const sc = this.#at;
    const depth = Math.min(size, Math.floor(lag[sc + SHARES] / LAG_MATURITY));
    while (lag[sc + LAG_COUNT] > 0 && lag[sc + LAG_COUNT] >= depth) {
      const at = base + 2 * lag[sc + LAG_HEAD];
      this.#learn(lag[at], lag[at + 1]);
      const head = lag[sc + LAG_HEAD] + 1;
      lag[sc + LAG_HEAD] = head === size ? 0 : head;
      lag[sc + LAG_COUNT] -= 1;
    }
    if (depth === 0) {
      this.#learn(bad, all);
      return;
    }
    const slot = lag[sc + LAG_HEAD] + lag[sc + LAG_COUNT];
    const at = base + 2 * (slot >= size ? slot - size : slot);
    lag[at] = bad;
    lag[at + 1] = all;
    lag[sc + LAG_COUNT] += 1;
  }

  /** Adds a step to the baseline after discounting the old counts by e^(−all/memory). */
  #learn(bad: number, all: number): void {
    const decay = Math.exp(-all / this.#o.memoryShares);
    const s = this.#s;
    const at = this.#at;
    s[at + BAD_W] = s[at + BAD_W] * decay + bad;
    s[at + ALL_W] = s[at + ALL_W] * decay + all;
  }

  /** Declares alternative `k`'s excursion; the baseline becomes the new segment's rate; statistics restart. */
  #declare(k: number, hazard: number, p0: number): DetectedRise {
    const o = this.#o;
    const s = this.#s;
    const n = o.rises.length;
    const segAll = s[4 * n + k];
    const segmentRate = segAll > 0 ? s[3 * n + k] / segAll : p0;
    const at = this.#at;
    const index = s[at + INDEX];
    const detected: DetectedRise = {
      startIndex: s[n + k] > 0 ? s[2 * n + k] : index,
      detectedIndex: index,
      hazard,
      baselineRate: p0,
      segmentRate,
    };
    // The new level: the highest rate among the open excursions (the longer ones may begin with shares
    // from before the rise and understate it, which would make the rest of one storm look like another).
    let level = segmentRate;
    let levelShares = segAll;
    for (let j = 0; j < n; j += 1) {
      const all = s[4 * n + j];
      if (s[n + j] > 0 && all > 0 && s[3 * n + j] / all > level) {
        level = s[3 * n + j] / all;
        levelShares = all;
      }
    }
    const weight = Math.max(levelShares, o.rebaseShares);
    s[at + BAD_W] = level * weight;
    s[at + ALL_W] = weight;
    s[at + LAG_COUNT] = 0;
    s.fill(Number.NEGATIVE_INFINITY, 0, n);
    s.fill(0, n, 2 * n);
    s[at + LAST_DETECTED] = index;
    s[at + CHANGE_PROB] = 0;
    return detected;
  }
}

/** log(e^a + e^b) without overflow; −∞ stays neutral. */
function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}
