// Public face of control/autotune: the per-rig guarded auto-tune controller, its guard rails, validation
// statistics, strategy hook and options. Other layers import only this file and options.ts.

export {
  type AutotuneDeps,
  type AutotuneTick,
  type ManualRequest,
  type ManualResult,
  RigAutotune,
} from './controller.ts';
export { type GateInput, type GateResult, gateProposal } from './gate.ts';
export {
  type Bounds,
  checkCooldown,
  checkFresh,
  checkHourlyCap,
  checkMinInterval,
  checkRupture,
  type GuardName,
  type GuardVerdict,
  guardMetricsOf,
  intersectBounds,
  scaledStep,
  shapeTarget,
} from './guards.ts';
// The journaled write path (intend → apply → verify, and rollback) for callers that hold a set-point
// themselves under the same rules, such as an A-B-A study.
export { type ActionEnv, executeAction, rollbackAction } from './lifecycle.ts';
export {
  type AutotuneOptions,
  type AutotuneOptionsInput,
  AutotuneOptionsSchema,
  AutotuneOptionsSchema as optionsSchema,
  DEFAULT_AUTOTUNE_OPTIONS,
} from './options.ts';
export {
  type ActionOutcome,
  type ActionPurpose,
  AUTOTUNE_MODES,
  type AutotuneMode,
  type JournaledAction,
  type JournalIntent,
  type JournalMark,
  type JournalPort,
  KillSwitch,
  OUTCOME_CAUSES,
  type OutcomeCause,
  type SetpointProposal,
  type SetpointStrategy,
  type StrategyView,
} from './ports.ts';
export type { ActionPayload, ActionRecordStatus, AutotuneAdviceKind } from './records.ts';
export { type DeviceSample, summarize, toSample, type WindowSummary } from './samples.ts';
export { binomialUpperTail, rateRiseTest, studentTQuantile, welchInterval } from './stats.ts';
export type { AutotuneStatus, DeviceStatus } from './status.ts';
export { noStrategy, type StepDescentOptions, stepDescent } from './strategy.ts';
export {
  isCoolingMove,
  temperatureBreach,
  type ValidationReport,
  type ValidationSettings,
  type ValidationTest,
  validateAction,
} from './validate.ts';
export { type CallContext, callActuator, matchesSetpoint } from './verify.ts';
