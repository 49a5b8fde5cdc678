// Public face of control/actuators/nvml: power limit, locked clocks and fans of the local NVIDIA GPUs
// through NVML (changes real hardware settings). Other layers import only this file and options.ts.

import { RigtuneError } from '../../../core/errors.ts';
import { DEFAULT_NVML_LIBRARY } from '../../../protocols/nvml/index.ts';
import { NvmlActuator } from './actuator.ts';
import { type NvmlActuatorOptionsInput, NvmlActuatorOptionsSchema } from './options.ts';

export const kind = 'nvml';
export const optionsSchema = NvmlActuatorOptionsSchema;
export { NvmlActuator } from './actuator.ts';
export { clockReadback, lockCeilingMhz } from './clock-readback.ts';
export { deviceNameOf } from './device-name.ts';
export { reasonOfNvmlCode } from './errors.ts';
export {
  NVML_SETPOINTS,
  type NvmlActuatorOptions,
  type NvmlActuatorOptionsInput,
  type NvmlSetpoint,
} from './options.ts';

/** Environment variable naming the library when `library_path` is not set (the nvml source's too). */
export const NVML_LIBRARY_ENV = 'RIGTUNE_NVML_LIB';

/** What the runtime hands the driver. */
export interface NvmlActuatorDeps {
  /** Rig name (the same as the rig's nvml source). */
  readonly rig: string;
  /** Environment for RIGTUNE_NVML_LIB; default none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Validates `options` (RT_CONFIG_INVALID naming the option) and builds the driver; opens nothing yet. */
export function create(options: NvmlActuatorOptionsInput, deps: NvmlActuatorDeps): NvmlActuator {
  const parsed = NvmlActuatorOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String).join('.');
    const field = path === '' ? kind : `${kind}.${path}`;
    throw new RigtuneError('RT_CONFIG_INVALID', `${field}: ${issue.message}`, { field });
  }
  const fromEnv = deps.env?.[NVML_LIBRARY_ENV];
  const libraryPath = parsed.data.library_path ?? (fromEnv ? fromEnv : DEFAULT_NVML_LIBRARY);
  return new NvmlActuator(parsed.data, deps.rig, libraryPath);
}
