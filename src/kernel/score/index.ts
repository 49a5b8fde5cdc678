// Public surface of kernel/score: live KPIs, sep_score and rupture class, plus the V3 legacy reference.
// Import from here, never from the files inside.

export {
  ASIC_THERMAL_LIMITS_C,
  computeKpis,
  DEFAULT_KPI_OPTIONS,
  effNorm,
  GPU_THERMAL_LIMITS_C,
  type KpiInput,
  type KpiOptions,
  type Kpis,
  stabilityIndex,
  type ThermalLimits,
  type ThermalSensor,
  thermalHeadroom,
} from './kpis.ts';
export { type RejectBasis, type RejectRate, rejectRate, type ShareDeltas } from './reject-rate.ts';
export {
  classifyRupture,
  DEFAULT_RUPTURE_THRESHOLDS,
  lambdaHazard,
  RUPTURE_CLASSES,
  type RuptureClass,
  type RuptureInput,
  type RuptureThresholds,
  ruptureClassCode,
} from './rupture-class.ts';
export {
  DEFAULT_SEP_SCORE_OPTIONS,
  DEFAULT_SEP_SCORE_WEIGHTS,
  type SepScore,
  type SepScoreInput,
  type SepScoreOptions,
  type SepScoreWeights,
  sepScore,
} from './sep-score.ts';
/** Legacy V3 reference (sep-reference.md §5.3), for docs and comparison only; not used live. */
export {
  scoreV3Window,
  V3_LOOKBACK,
  V3_MIN_WINDOW,
  V3_SEP_SCORE_FLOOR,
  type V3Kpis,
  type V3Metrics,
  type V3Score,
  type V3Snapshot,
  v3Efficiency,
  v3EffNorm,
  v3Kpis,
  v3RejectRate,
  v3RuptureFlag,
  v3SepScore,
} from './v3-legacy.ts';
