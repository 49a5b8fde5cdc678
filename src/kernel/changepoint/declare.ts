// The decision rule of the detector: which segment start, if any, the run-length posterior now supports
// strongly enough to declare. Kept apart from the filter so the rule can be read (and tested) on its own.

import type { RunSet } from './run-set.ts';

/** A start the posterior supports: its index and the posterior mass within ±tolerance of it. */
export interface SupportedStart {
  readonly startIndex: number;
  readonly mass: number;
  /** Position in the run set of the hypothesis starting at startIndex. */
  readonly run: number;
}

/**
 * Finds the candidate start s in [earliest, latest] whose window [s − tolerance, s + tolerance] (clipped
 * to [earliest, latest]) holds the most posterior mass; returns the single most probable start inside that window when the mass reaches
 * `threshold`, else null. Runs must be ordered by start (RunSet keeps them oldest first). O(runs).
 */
export function findSupportedStart(
  runs: RunSet,
  earliest: number,
  latest: number,
  tolerance: number,
  threshold: number,
): SupportedStart | null {
  const n = runs.count;
  // A window holds at most 2·tolerance + 1 starts (they are distinct sample indices), so when even the
  // most probable candidate times that cannot reach the threshold, no window can (the margin covers
  // the rounding of the running sums below): one exp instead of two per candidate on quiet data.
  let maxLog = -Infinity;
  for (let i = 0; i < n; i += 1) {
    const s = runs.start(i);
    if (s >= earliest && s <= latest && runs.logWeight(i) > maxLog) maxLog = runs.logWeight(i);
  }
  if ((2 * tolerance + 1) * Math.exp(maxLog) < threshold - 1e-9 - n * 1e-15) return null;
  let bestMass = 0;
  let bestCentre = -1;
  let bestRun = -1;
  let lo = 0;
  let hi = 0;
  let windowMass = 0;
  for (let i = 0; i < n; i += 1) {
    const s = runs.start(i);
    if (s < earliest || s > latest) continue;
    // Only candidates count towards a window: mass before `earliest` belongs to a declared segment.
    while (hi < n && runs.start(hi) <= Math.min(s + tolerance, latest)) {
      if (runs.start(hi) >= earliest) windowMass += Math.exp(runs.logWeight(hi));
      hi += 1;
    }
    while (runs.start(lo) < s - tolerance) {
      if (runs.start(lo) >= earliest) windowMass -= Math.exp(runs.logWeight(lo));
      lo += 1;
    }
    if (windowMass > bestMass) {
      bestMass = windowMass;
      bestCentre = s;
      bestRun = i;
    }
  }
  if (bestCentre < 0 || bestMass < threshold) return null;
  let startIndex = bestCentre;
  let run = bestRun;
  let bestLog = -Infinity;
  for (let i = 0; i < n; i += 1) {
    const s = runs.start(i);
    if (s < earliest || s > latest || Math.abs(s - bestCentre) > tolerance) continue;
    if (runs.logWeight(i) > bestLog) {
      bestLog = runs.logWeight(i);
      startIndex = s;
      run = i;
    }
  }
  return { startIndex, mass: Math.min(1, bestMass), run };
}
