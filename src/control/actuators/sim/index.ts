// Public face of control/actuators/sim: the simulator actuator driver (set-points of one simulated rig
// with model limits and independent read-back). Other layers import only this file and options.ts.

import type { Fleet } from '../../../sim/index.ts';
import { SimActuator } from './actuator.ts';
import {
  parseSimActuatorOptions,
  type SimActuatorOptionsInput,
  SimActuatorOptionsSchema,
} from './options.ts';

export const kind = 'sim';
export const optionsSchema = SimActuatorOptionsSchema;
export { SimActuator } from './actuator.ts';
export { asicControl, gpuControl } from './limits.ts';
export type { SimActuatorOptions, SimActuatorOptionsInput } from './options.ts';

/** What the runtime hands the driver: the simulated fleet and the rig (by name) to act on. */
export interface SimActuatorDeps {
  readonly fleet: Fleet;
  readonly rig: string;
}

/** Validates `options` (RT_CONFIG_INVALID naming the option) and builds the driver. */
export function create(options: SimActuatorOptionsInput, deps: SimActuatorDeps): SimActuator {
  return new SimActuator(deps.fleet, deps.rig, parseSimActuatorOptions(options));
}
