// The detector's resolved options with what derives from them (logs of constants, the slab layout),
// computed once per options object: a fleet of detectors with the defaults shares one.

import type { ChangePointOptions } from './options.ts';
import { RunSet } from './run-set.ts';

/** Options with the logs of the constant ones, computed once per options object. */
export interface Settings {
  readonly o: ChangePointOptions;
  readonly logOutlierProb: number;
  readonly logInlierProb: number;
  readonly logGrow: number;
  readonly logHazard: number;
  readonly logPruneBelow: number;
  /** Doubles of a detector's slab before the hold history (the hypotheses' first room). */
  readonly runsSize: number;
}

/** Settings of frozen options objects (the defaults: one object shared by every detector of a fleet). */
const settingsByOptions = new WeakMap<ChangePointOptions, Settings>();

/** The settings of resolved options `o` (shared when `o` is frozen, as the defaults are). */
export function settingsOf(o: ChangePointOptions): Settings {
  let s = settingsByOptions.get(o);
  if (s === undefined) {
    s = {
      o,
      logOutlierProb: Math.log(o.outlierProb),
      logInlierProb: Math.log1p(-o.outlierProb),
      logGrow: Math.log1p(-o.hazard),
      logHazard: Math.log(o.hazard),
      logPruneBelow: Math.log(o.pruneBelow),
      runsSize: RunSet.sizeOf(o.maxRuns, o.segmentModels),
    };
    if (Object.isFrozen(o)) settingsByOptions.set(o, s);
  }
  return s;
}
