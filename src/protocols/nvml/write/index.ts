// Public face of the NVML write side (protocols/nvml/write): the set calls, resets and read-back
// getters the NVML actuator needs. Separate from ../index.ts, which stays a read-only client.

export { NVML_FAN_POLICY, NvmlControl, type NvmlOutcome } from './control.ts';
export {
  NVML_CONTROL_GETTERS,
  NVML_SET_SYMBOLS,
  type NvmlControlGetter,
  type NvmlControlSymbol,
  type NvmlSetSymbol,
} from './symbols.ts';
