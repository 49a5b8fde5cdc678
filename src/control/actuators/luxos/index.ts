// Public face of control/actuators/luxos: the LuxOS (LUXminer) driver over its TCP API (port 4028):
// power target and frequency profile, one session at a time. Other layers import this and options.ts.

import { RigtuneError } from '../../../core/errors.ts';
import { LuxosActuator, type LuxosActuatorHooks } from './actuator.ts';
import { type LuxosActuatorOptionsInput, LuxosActuatorOptionsSchema } from './options.ts';

export const kind = 'luxos';
export const optionsSchema = LuxosActuatorOptionsSchema;
export { LUXOS_TOTAL, LuxosActuator, type LuxosActuatorHooks } from './actuator.ts';
export { toActuatorError } from './client.ts';
export type { LuxosActuatorOptions, LuxosActuatorOptionsInput } from './options.ts';
export {
  boardProfilesOf,
  type LuxosProfileRow,
  modelOf,
  type PowerTargetState,
  powerTargetOf,
  profileStepLimitsOf,
  profilesOf,
  sessionIdOf,
} from './replies.ts';

/** What the runtime hands the driver. */
export interface LuxosActuatorDeps extends LuxosActuatorHooks {
  /** Rig name (the same as the rig's cgminer source). */
  readonly rig: string;
}

/** Validates `options` (RT_CONFIG_INVALID naming the option) and builds the driver. */
export function create(options: LuxosActuatorOptionsInput, deps: LuxosActuatorDeps): LuxosActuator {
  const parsed = LuxosActuatorOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String).join('.');
    const field = path === '' ? kind : `${kind}.${path}`;
    throw new RigtuneError('RT_CONFIG_INVALID', `${field}: ${issue.message}`, { field });
  }
  return new LuxosActuator(parsed.data, deps.rig, deps);
}
