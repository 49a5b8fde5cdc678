// Public face of control/optimizer: the noise-aware efficiency search and thermal controller as a
// SetpointStrategy for the auto-tune controller, its options, and the pure pieces for tests and tools.

export { createOptimizer, type Optimizer, type SearchStatus } from './optimizer.ts';
export {
  DEFAULT_OPTIMIZER_OPTIONS,
  type OptimizerOptions,
  type OptimizerOptionsInput,
  OptimizerOptionsSchema,
  OptimizerOptionsSchema as optionsSchema,
  parseOptimizerOptions,
  type SearchKind,
  type SearchOptions,
  type ThermalOptions,
} from './options.ts';
export {
  applyOutcome,
  classifyOutcome,
  initialSearchState,
  proposeStep,
  resolutionOf,
  type SearchState,
  type Verdict,
} from './search.ts';
export {
  excessOf,
  fanSaturated,
  isHot,
  proposeFallback,
  proposeFan,
  THERMAL_SENSORS,
  type ThermalReading,
  type ThermalSensor,
  type ThermalState,
  ThermalTracker,
} from './thermal.ts';
