// Public face of sim/: the fleet simulator (GPU rigs, ASIC miners, faults with labels, actuators).
// Other layers import only this file (protocol servers: sim/serve/index.ts).

export type { ActuatorResult, ActuatorStatus } from './actuators.ts';
export { type AsicBoard, SimAsic } from './asic-device.ts';
export { ASIC_PROFILES, type AsicProfile, S19_PRO } from './asic-model.ts';
export { parseDurationMs } from './duration.ts';
export {
  type ActiveFault,
  FAULT_KINDS,
  type FaultKind,
  type FaultLabel,
  type FaultPlan,
  NO_FAULTS,
  parseFaultSpec,
  type ScheduledFaultSpec,
} from './faults.ts';
export { Fleet, type FleetOptions, GPU_MODELS, type GpuModelChoice, type SimRig } from './fleet.ts';
export { type GpuIdentity, SimGpu } from './gpu-device.ts';
export {
  ALGORITHM_NAMES,
  ALGORITHMS,
  type AlgorithmName,
  GPU_PROFILES,
  type GpuProfile,
  H100_SXM,
  RTX_3080_TI,
} from './gpu-profiles.ts';
export { FleetPacer } from './pacer.ts';
export { Rng } from './rng.ts';
export { type PoolConfig, SimPool } from './shares.ts';
export { type SteadyOptions, type SteadyPoint, steadyStateCurve } from './steady-state.ts';
export { THROTTLE } from './thermal.ts';
