// Public face of study/aba-plan: the pure parts of `rigtune study run` — treatments, the per-device
// phase machine, phase markers and the study.json layout. No I/O: the runtime drives and persists them.

export { ABA_PHASES, type AbaMarker, type AbaPhase } from './marker.ts';
export {
  type DevicePhaseState,
  duePhase,
  endEarly,
  enterPhase,
  nextPhase,
  nominalSchedule,
  type PhaseDurations,
  phaseEndMs,
  startState,
} from './phases.ts';
export {
  parseStudyFile,
  STUDY_FILE_VERSION,
  STUDY_ID_RE,
  type StudyDevice,
  type StudyEvent,
  type StudyFile,
  StudyFileSchema,
  type StudyStatus,
} from './state.ts';
export { parseTreatment, type Treatment, treatmentTarget } from './treatment.ts';
