// Public face of control/advisory: the engine that turns scores into de-duplicated, human-readable
// advice records, its options schema and defaults, the rules, and the advice shapes.

export { AdvisoryEngine, type AdvisoryEngineDeps } from './engine.ts';
export {
  type AdvisoryOptions,
  type AdvisoryOptionsInput,
  AdvisoryOptionsSchema,
  type AdvisoryProblem,
  checkAdvisoryOptions,
  DEFAULT_ADVISORY_OPTIONS,
} from './options.ts';
export { DEVICE_RULES, type DeviceRule, RIG_RULES, type RigRule } from './rules/index.ts';
export { AdviceTracker, adviceKey, type TrackerParams } from './tracker.ts';
export {
  ADVICE_KINDS,
  type AdviceDelta,
  type AdviceKind,
  type AdvicePayload,
  type AdviceTarget,
  type AdvisoryBatch,
  type ClearCause,
  type DeviceFreshness,
  type DeviceView,
  type Evidence,
  type Finding,
  SEVERITIES,
  type Severity,
} from './types.ts';
