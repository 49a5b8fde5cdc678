// Options of the reject-rise detector (a mixture Shiryaev–Roberts test on per-step share counts), their
// defaults and their validation. Each value's reason is in README.md beside this file.

import { RigtuneError } from '../../core/errors.ts';

/**
 * Settings of `RejectRiseDetector`. A "share step" is a sample whose counter deltas hold at least one
 * share; samples without shares add no evidence and do not count as steps.
 */
export interface RejectRiseOptions {
  /** Prior probability (per share step) that the bad-share rate rises at that step; sets `changeProb`. */
  readonly hazard: number;
  /** Posterior probability of a rise (0..1) needed to declare it. */
  readonly threshold: number;
  /**
   * Alternatives tested, each as the fraction of the headroom (1 − baseline) the bad-share rate rises by:
   * p₁ = p₀ + rise·(1 − p₀). Equal prior weight each; at least one, each in (0, 1).
   */
  readonly rises: readonly number[];
  /** Bad-share rate (0..1) assumed before the device's own shares are seen. */
  readonly priorRate: number;
  /** Weight of that prior, in shares (it is forgotten like data). */
  readonly priorShares: number;
  /** Memory of the baseline, in shares: older shares weigh e^(−age/memoryShares). */
  readonly memoryShares: number;
  /**
   * Share steps a tested step waits before it enters the baseline, so the first shares of a rise are
   * judged against the rate before it instead of diluting it (0 = at once).
   */
  readonly baselineLag: number;
  /** Lower bound of the baseline rate p₀ (0..1): below it a handful of rejects would be overwhelming. */
  readonly minBaselineRate: number;
  /** Shares of a new detector that only feed the baseline before the test starts. */
  readonly warmupShares: number;
  /**
   * Bad shares (by count; difficulty-weighted when it applies) the new segment must hold before it may be
   * declared: a short burst of rejects (one pool hiccup) is not a sustained rise, however unlikely it is.
   */
  readonly minBadShares: number;
  /** Least samples between two declarations (samples, missing and share-less ones included). */
  readonly refractorySamples: number;
  /** After a declaration the baseline becomes the new segment's rate, weighted as at least this many shares. */
  readonly rebaseShares: number;
}

/** The one default configuration; each value is explained in src/kernel/shares/README.md. */
export const DEFAULT_REJECT_RISE_OPTIONS: RejectRiseOptions = Object.freeze({
  hazard: 1e-5,
  threshold: 0.9,
  rises: Object.freeze([0.1, 0.2, 0.4]),
  priorRate: 0.02,
  priorShares: 20,
  memoryShares: 1000,
  baselineLag: 30,
  minBaselineRate: 0.002,
  warmupShares: 20,
  minBadShares: 4,
  refractorySamples: 60,
  rebaseShares: 50,
});

function check(ok: boolean, name: string, rule: string): void {
  if (!ok) throw new RigtuneError('RT_KERNEL_ARGUMENT', `reject-rise option ${name} must be ${rule}`);
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const inOpenUnit = (v: unknown) => finite(v) && v > 0 && v < 1;
const isCount = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;

/** Merges `options` over the defaults and validates them; throws RT_KERNEL_ARGUMENT on a bad value. */
export function resolveRejectRiseOptions(options: Partial<RejectRiseOptions> = {}): RejectRiseOptions {
  if (options === DEFAULT_REJECT_RISE_OPTIONS || Object.keys(options).length === 0)
    return DEFAULT_REJECT_RISE_OPTIONS;
  const o = { ...DEFAULT_REJECT_RISE_OPTIONS, ...options };
  check(inOpenUnit(o.hazard), 'hazard', 'in (0, 1)');
  check(inOpenUnit(o.threshold), 'threshold', 'in (0, 1)');
  check(
    Array.isArray(o.rises) && o.rises.length > 0 && o.rises.every(inOpenUnit),
    'rises',
    'a non-empty list of numbers in (0, 1)',
  );
  check(inOpenUnit(o.priorRate), 'priorRate', 'in (0, 1)');
  check(finite(o.priorShares) && o.priorShares > 0, 'priorShares', '> 0');
  check(finite(o.memoryShares) && o.memoryShares > 0, 'memoryShares', '> 0');
  check(isCount(o.baselineLag, 0), 'baselineLag', 'an integer ≥ 0');
  check(inOpenUnit(o.minBaselineRate), 'minBaselineRate', 'in (0, 1)');
  check(isCount(o.warmupShares, 0), 'warmupShares', 'an integer ≥ 0');
  check(finite(o.minBadShares) && o.minBadShares >= 0, 'minBadShares', '≥ 0');
  check(isCount(o.refractorySamples, 1), 'refractorySamples', 'an integer ≥ 1');
  check(finite(o.rebaseShares) && o.rebaseShares > 0, 'rebaseShares', '> 0');
  return o;
}
