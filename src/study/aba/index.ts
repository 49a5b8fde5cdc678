// Public face of study/aba: the A-B-A analysis (pure: rows + markers + options → StudyResult JSON),
// the phase windows a report draws its bands from, and the verdict wording.

export { analyzeStudy, BOOTSTRAP_METHOD } from './analyze.ts';
export { POOLING_METHOD } from './pool.ts';
export { METRIC_INFO } from './series.ts';
export * from './types.ts';
export { classifyEffect, describePct } from './verdict.ts';
export {
  DEFAULT_SETTLE_FRACTION,
  DEFAULT_SETTLE_MS,
  type DeviceWindows,
  groupRows,
  selectStudyMarkers,
  studyWindows,
} from './windows.ts';
