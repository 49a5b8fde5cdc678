// Post-action validation: the watch window against the pre-action baseline — efficiency (Welch interval
// on block means, non-inferiority), reject share and HW-error rate (exact rate-rise tests), temperatures.

import type { SetpointKind } from '../../core/actuator.ts';
import type { WindowSummary } from './samples.ts';
import { TEMP_FIELDS, type TempField } from './samples.ts';
import { type RateRise, rateRiseTest, welchInterval } from './stats.ts';

/** Thresholds of the validation (from the autotune options). */
export interface ValidationSettings {
  readonly minBlocks: number;
  /** Two-sided confidence of the efficiency interval, e.g. 0.95. */
  readonly confidence: number;
  /** Non-inferiority margin on the relative efficiency change, e.g. 0.01. */
  readonly efficiencyMargin: number;
  readonly rejectAlpha: number;
  readonly hwErrorAlpha: number;
  /** °C per field; null = not checked. */
  readonly tempLimitsC: Readonly<Record<TempField, number | null>>;
  /** A cooling move over a limit passes when its block is at most this much hotter than the baseline's, °C. */
  readonly coolingTempMarginC: number;
  /** Hard limit = limit + this, °C: above it even a cooling move is stopped. */
  readonly hardTempMarginC: number;
}

/** The validation tests that can fail (stable names, a subset of the outcome causes). */
export type ValidationTest = 'efficiency' | 'insufficient_data' | 'rejects' | 'hw_errors' | 'temperature';

/** Efficiency before and after, H/J, and the relative change with its interval (fractions). */
export interface EfficiencyResult {
  readonly pre_h_per_j: number;
  readonly post_h_per_j: number;
  readonly diff_rel: number;
  readonly ci_lo_rel: number;
  readonly ci_hi_rel: number;
  readonly blocks_pre: number;
  readonly blocks_post: number;
}

/** A rate comparison as carried in records (snake_case, the data contract). */
export interface RateResult {
  readonly pre: number;
  readonly pre_exposure: number;
  readonly post: number;
  readonly post_exposure: number;
  readonly p_value: number;
}

/** The verdict and its evidence (payload `validation` of action records). */
export interface ValidationReport {
  readonly decision: 'commit' | 'rollback';
  /** Why it rolls back; empty on commit. */
  readonly reasons: readonly string[];
  /** The tests that failed, one per reason, in the same order. */
  readonly failed_tests: readonly ValidationTest[];
  readonly efficiency: EfficiencyResult | null;
  /** The efficiency interval lies wholly above 0: a significant gain. */
  readonly improved: boolean;
  readonly rejects: RateResult;
  readonly hw_errors: RateResult;
  /** The move cools by its direction ({@link isCoolingMove}): temperatures judged against the baseline. */
  readonly cooling: boolean;
  /** Hottest block means (°C) after and before the action, and the limit; null = not reported / checked. */
  readonly temps_c: Readonly<
    Record<
      TempField,
      {
        readonly max_block: number | null;
        readonly baseline_max_block: number | null;
        readonly limit: number | null;
      }
    >
  >;
}

/**
 * A move whose direction can only shed heat: fan duty up; power limit, clock locks or profile step down.
 * `from` is the numeric value before (an automatic or default setting resolved to its equivalent).
 */
export function isCoolingMove(kind: SetpointKind, from: number, to: number): boolean {
  return kind === 'fan_pct' ? to > from : to < from;
}

/**
 * The temperature test of one sensor on a block mean `post` (°C), or null when it passes. Any move
 * fails above the limit; a cooling move only above the hard limit (limit + `hardTempMarginC`), or above
 * the limit while hotter than the baseline's hottest block by more than `coolingTempMarginC` (a hot
 * device the move does not cool). Without baseline readings a cooling move is judged like any other.
 */
function temperatureFailure(
  f: TempField,
  post: number | null,
  pre: number | null,
  s: ValidationSettings,
  cooling: boolean,
): string | null {
  const limit = s.tempLimitsC[f];
  if (limit === null || post === null || post <= limit) return null;
  const reached = `${f} reached ${post.toFixed(1)} °C`;
  if (!cooling || pre === null) return `${reached} (limit ${limit} °C)`;
  const hard = limit + s.hardTempMarginC;
  if (post > hard) return `${reached} (hard limit ${hard} °C)`;
  if (post > pre + s.coolingTempMarginC)
    return `${reached} (limit ${limit} °C), hotter than the ${pre.toFixed(1)} °C before the cooling move`;
  return null;
}

function rate(r: RateRise): RateResult {
  return {
    pre: r.countPre,
    pre_exposure: r.exposurePre,
    post: r.countPost,
    post_exposure: r.exposurePost,
    p_value: r.pValue,
  };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)} %`;
}

/** The efficiency comparison, or null when a window has fewer than `minBlocks` blocks. */
export function compareEfficiency(
  pre: WindowSummary,
  post: WindowSummary,
  minBlocks: number,
  confidence: number,
): EfficiencyResult | null {
  if (pre.efficiencyBlocks.length < minBlocks || post.efficiencyBlocks.length < minBlocks) return null;
  const w = welchInterval(pre.efficiencyBlocks, post.efficiencyBlocks, confidence);
  if (w === null || !(w.meanA > 0)) return null;
  return {
    pre_h_per_j: w.meanA,
    post_h_per_j: w.meanB,
    diff_rel: w.diff / w.meanA,
    ci_lo_rel: w.lo / w.meanA,
    ci_hi_rel: w.hi / w.meanA,
    blocks_pre: pre.efficiencyBlocks.length,
    blocks_post: post.efficiencyBlocks.length,
  };
}

/**
 * Commit or roll back, with every test's evidence. Any failed check rolls back (fail closed). `cooling`
 * (see {@link isCoolingMove}) judges temperatures against the baseline instead of the limit alone.
 */
export function validateAction(
  pre: WindowSummary,
  post: WindowSummary,
  s: ValidationSettings,
  cooling = false,
): ValidationReport {
  const reasons: string[] = [];
  const failed: ValidationTest[] = [];
  const fail = (test: ValidationTest, reason: string) => {
    failed.push(test);
    reasons.push(reason);
  };
  const efficiency = compareEfficiency(pre, post, s.minBlocks, s.confidence);
  if (efficiency === null)
    fail(
      'insufficient_data',
      `insufficient efficiency data (${pre.efficiencyBlocks.length} and ${post.efficiencyBlocks.length} blocks, ${s.minBlocks} needed)`,
    );
  else if (efficiency.ci_lo_rel < -s.efficiencyMargin)
    fail(
      'efficiency',
      `efficiency may have dropped: ${pct(efficiency.diff_rel)} (${pct(s.confidence)} interval ${pct(efficiency.ci_lo_rel)} … ${pct(efficiency.ci_hi_rel)}, margin −${pct(s.efficiencyMargin)})`,
    );
  const rejects = rateRiseTest(pre.rejected, pre.shares, post.rejected, post.shares);
  if (rejects.pValue < s.rejectAlpha && (rejects.ratePost ?? 0) > (rejects.ratePre ?? 0))
    fail(
      'rejects',
      `reject share rose: ${post.rejected}/${post.shares} after vs ${pre.rejected}/${pre.shares} before (p = ${rejects.pValue.toExponential(2)})`,
    );
  const hw = rateRiseTest(pre.hwErrors, pre.hwSeconds, post.hwErrors, post.hwSeconds);
  if (hw.pValue < s.hwErrorAlpha && (hw.ratePost ?? 0) > (hw.ratePre ?? 0))
    fail(
      'hw_errors',
      `HW-error rate rose: ${post.hwErrors} in ${Math.round(post.hwSeconds)} s after vs ${pre.hwErrors} in ${Math.round(pre.hwSeconds)} s before (p = ${hw.pValue.toExponential(2)})`,
    );
  const temps = {} as Record<
    TempField,
    { max_block: number | null; baseline_max_block: number | null; limit: number | null }
  >;
  for (const f of TEMP_FIELDS) {
    const max = post.maxBlockTempC[f];
    const before = pre.maxBlockTempC[f];
    temps[f] = { max_block: max, baseline_max_block: before, limit: s.tempLimitsC[f] };
    const why = temperatureFailure(f, max, before, s, cooling);
    if (why !== null) fail('temperature', why);
  }
  return {
    decision: reasons.length === 0 ? 'commit' : 'rollback',
    reasons,
    failed_tests: failed,
    efficiency,
    improved: efficiency !== null && efficiency.ci_lo_rel > 0,
    rejects: rate(rejects),
    hw_errors: rate(hw),
    cooling,
    temps_c: temps,
  };
}

/**
 * The temperature test on the latest block during the watch (early rollback), or null: the same rule
 * as the verdict's, against the `baseline` window's hottest blocks.
 */
export function temperatureBreach(
  latest: WindowSummary,
  baseline: WindowSummary,
  s: ValidationSettings,
  cooling = false,
): string | null {
  for (const f of TEMP_FIELDS) {
    const why = temperatureFailure(f, latest.maxBlockTempC[f], baseline.maxBlockTempC[f], s, cooling);
    if (why !== null) return why;
  }
  return null;
}
