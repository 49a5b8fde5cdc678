// Post-action validation: the watch window against the pre-action baseline — efficiency (Welch interval
// on block means, non-inferiority), reject share and HW-error rate (exact rate-rise tests), temperatures.

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
}

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
  readonly efficiency: EfficiencyResult | null;
  /** The efficiency interval lies wholly above 0: a significant gain. */
  readonly improved: boolean;
  readonly rejects: RateResult;
  readonly hw_errors: RateResult;
  readonly temps_c: Readonly<
    Record<TempField, { readonly max_block: number | null; readonly limit: number | null }>
  >;
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

/** Commit or roll back, with every test's evidence. Any failed check rolls back (fail closed). */
export function validateAction(
  pre: WindowSummary,
  post: WindowSummary,
  s: ValidationSettings,
): ValidationReport {
  const reasons: string[] = [];
  const efficiency = compareEfficiency(pre, post, s.minBlocks, s.confidence);
  if (efficiency === null)
    reasons.push(
      `insufficient efficiency data (${pre.efficiencyBlocks.length} and ${post.efficiencyBlocks.length} blocks, ${s.minBlocks} needed)`,
    );
  else if (efficiency.ci_lo_rel < -s.efficiencyMargin)
    reasons.push(
      `efficiency may have dropped: ${pct(efficiency.diff_rel)} (${pct(s.confidence)} interval ${pct(efficiency.ci_lo_rel)} … ${pct(efficiency.ci_hi_rel)}, margin −${pct(s.efficiencyMargin)})`,
    );
  const rejects = rateRiseTest(pre.rejected, pre.shares, post.rejected, post.shares);
  if (rejects.pValue < s.rejectAlpha && (rejects.ratePost ?? 0) > (rejects.ratePre ?? 0))
    reasons.push(
      `reject share rose: ${post.rejected}/${post.shares} after vs ${pre.rejected}/${pre.shares} before (p = ${rejects.pValue.toExponential(2)})`,
    );
  const hw = rateRiseTest(pre.hwErrors, pre.hwSeconds, post.hwErrors, post.hwSeconds);
  if (hw.pValue < s.hwErrorAlpha && (hw.ratePost ?? 0) > (hw.ratePre ?? 0))
    reasons.push(
      `HW-error rate rose: ${post.hwErrors} in ${Math.round(post.hwSeconds)} s after vs ${pre.hwErrors} in ${Math.round(pre.hwSeconds)} s before (p = ${hw.pValue.toExponential(2)})`,
    );
  const temps = {} as Record<TempField, { max_block: number | null; limit: number | null }>;
  for (const f of TEMP_FIELDS) {
    const limit = s.tempLimitsC[f];
    const max = post.maxBlockTempC[f];
    temps[f] = { max_block: max, limit };
    if (limit !== null && max !== null && max > limit)
      reasons.push(`${f} reached ${max.toFixed(1)} °C (limit ${limit} °C)`);
  }
  return {
    decision: reasons.length === 0 ? 'commit' : 'rollback',
    reasons,
    efficiency,
    improved: efficiency !== null && efficiency.ci_lo_rel > 0,
    rejects: rate(rejects),
    hw_errors: rate(hw),
    temps_c: temps,
  };
}

/** A temperature limit already exceeded by the latest block (early rollback during the watch), or null. */
export function temperatureBreach(
  latest: WindowSummary,
  limits: Readonly<Record<TempField, number | null>>,
): string | null {
  for (const f of TEMP_FIELDS) {
    const limit = limits[f];
    const max = latest.maxBlockTempC[f];
    if (limit !== null && max !== null && max > limit)
      return `${f} reached ${max.toFixed(1)} °C (limit ${limit} °C)`;
  }
  return null;
}
