// The actuator kinds a rig's `actuator:` may name, each with its own options schema (the drivers'
// options.ts). Explicit on purpose: config may not import the actuator registry in the runtime.

import type { z } from 'zod';
import { BraiinsActuatorOptionsSchema } from '../control/actuators/braiins/options.ts';
import { LuxosActuatorOptionsSchema } from '../control/actuators/luxos/options.ts';
import { NvmlActuatorOptionsSchema } from '../control/actuators/nvml/options.ts';
import { SimActuatorOptionsSchema } from '../control/actuators/sim/options.ts';

/** Actuator kind (the `kind` of each driver's index.ts) → its options schema. */
export const ACTUATOR_KINDS = {
  sim: SimActuatorOptionsSchema,
  nvml: NvmlActuatorOptionsSchema,
  braiins: BraiinsActuatorOptionsSchema,
  luxos: LuxosActuatorOptionsSchema,
} as const;

export type ActuatorKind = keyof typeof ACTUATOR_KINDS;

/** Validated options (defaults applied) of an actuator of kind `K`. */
export type ActuatorOptionsOf<K extends ActuatorKind> = z.output<(typeof ACTUATOR_KINDS)[K]>;

/** Every known kind, in the order above. */
export const ACTUATOR_KIND_NAMES: readonly ActuatorKind[] = Object.freeze(
  Object.keys(ACTUATOR_KINDS) as ActuatorKind[],
);

/** True when `kind` names a known actuator kind. */
export function isActuatorKind(kind: string): kind is ActuatorKind {
  return Object.hasOwn(ACTUATOR_KINDS, kind);
}
