// Public face of runtime/study: `rigtune study run` — the A-B-A runner over the service's guarded
// set-point path, its files (study.json, markers.ndjson, Parquet aba_markers) and the service wiring.

export { type StudyDemoOptions, startStudyDemo } from './demo.ts';
export { type GuardedControlDeps, GuardedStudyControl, type ModeControl } from './guarded-control.ts';
export { markerOf, markerRecord } from './markers.ts';
export { planDevices, referenceOf, type StudyRequest } from './plan.ts';
export type { ChangeResult, HeldChange, SetpointChange, StudyControl, StudyStore } from './ports.ts';
export { StudyRunner, type StudyRunnerDeps } from './runner.ts';
export { SerialActuator } from './serial-actuator.ts';
export { type RunningStudy, type StudyServiceOptions, startStudyService } from './service.ts';
export { FileStudyStore, loadStudy, studiesDir } from './store.ts';
