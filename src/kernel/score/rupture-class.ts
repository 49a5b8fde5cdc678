// Rupture class (none/micro/meso/macro) from the SEP rupture ratio of the unhealthy stream combined
// with the change-point posterior: the rule that turns two kinds of evidence into one alarm level.

/** Rupture classes in increasing severity. */
import { RUPTURE_CLASSES, type RuptureClass } from '../../core/scores.ts';

export { RUPTURE_CLASSES, type RuptureClass };

/**
 * Thresholds of {@link classifyRupture}, all in [0, 1]. Per-rig config may override any of them.
 * R cut points grade sustained unhealthiness; p (the change posterior) only confirms or escalates.
 */
export interface RuptureThresholds {
  /** R at or above which the class is at least micro. */
  readonly micro: number;
  /** R at or above which the class is at least meso. */
  readonly meso: number;
  /** R at or above which the class is macro. */
  readonly macro: number;
  /** p at or above which a statistical change counts as confirmed. */
  readonly change_prob: number;
  /** R at or above which the window counts as collapsed when the caller gives no collapse flag (QFH default 0.5). */
  readonly collapse_rupture: number;
}

/** Defaults: V3's R cut points (0.2 / 0.4 / 0.6), a change confirmed at p ≥ 0.5, QFH's collapse 0.5. */
export const DEFAULT_RUPTURE_THRESHOLDS: RuptureThresholds = {
  micro: 0.2,
  meso: 0.4,
  macro: 0.6,
  change_prob: 0.5,
  collapse_rupture: 0.5,
};

/** Evidence for one tick. Non-finite numbers count as missing. */
export interface RuptureInput {
  /** SEP rupture ratio R of the composite health stream (polarity 1 = unhealthy), [0, 1]; null if unknown. */
  readonly rupture: number | null;
  /** Posterior change probability p from the change-point detector, [0, 1]; null if no detector ran. */
  readonly change_prob: number | null;
  /** The QFH collapse flag of the same window; when omitted it is derived as R ≥ collapse_rupture. */
  readonly collapse?: boolean | null;
}

function unit(x: number | null | undefined): number | null {
  if (typeof x !== 'number' || !Number.isFinite(x)) return null;
  return Math.min(1, Math.max(0, x));
}

/**
 * Combined hazard λ = 1 − (1 − R)(1 − p): the probability-style OR of the two kinds of evidence
 * (sustained unhealthiness R, statistical change p). It is ≥ max(R, p), non-decreasing in each, 0
 * only when both are 0 and 1 when either is 1. With one input missing it is the other; null when
 * both are missing. Inputs are clamped to [0, 1].
 */
export function lambdaHazard(rupture: number | null, changeProb: number | null): number | null {
  const r = unit(rupture);
  const p = unit(changeProb);
  if (r === null) return p;
  if (p === null) return r;
  return 1 - (1 - r) * (1 - p);
}

/**
 * Rupture class of a tick. R grades how long the device has been unhealthy; a confirmed change
 * (p ≥ change_prob) raises the class by one level, capped at macro, and alone is micro:
 *   level(R) = 3 if R ≥ macro, 2 if R ≥ meso or collapse, 1 if R ≥ micro, else 0
 *   class    = level(R) + 1 if the change is confirmed, else level(R)   (at most 3)
 * so a change with a healthy device is micro ("something changed"), sustained unhealthiness is
 * meso/macro on its own, and collapse plus a confirmed change is macro. Non-decreasing in R and
 * in p; 'none' when there is no evidence at all. collapse = flag ?? R ≥ collapse_rupture.
 */
export function classifyRupture(
  input: RuptureInput,
  thresholds: RuptureThresholds = DEFAULT_RUPTURE_THRESHOLDS,
): RuptureClass {
  const r = unit(input.rupture);
  const p = unit(input.change_prob);
  const collapse =
    typeof input.collapse === 'boolean' ? input.collapse : r !== null && r >= thresholds.collapse_rupture;
  let level = 0;
  if (r !== null && r >= thresholds.macro) level = 3;
  else if ((r !== null && r >= thresholds.meso) || collapse) level = 2;
  else if (r !== null && r >= thresholds.micro) level = 1;
  if (p !== null && p >= thresholds.change_prob) level = Math.min(3, level + 1);
  return RUPTURE_CLASSES[level];
}

/** Exporter encoding of a class: none 0, micro 1, meso 2, macro 3. */
export function ruptureClassCode(cls: RuptureClass): 0 | 1 | 2 | 3 {
  return RUPTURE_CLASSES.indexOf(cls) as 0 | 1 | 2 | 3;
}
