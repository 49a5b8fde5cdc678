// Public face of control/actuators/braiins: the Braiins OS+ power-target driver over the public REST
// API (/api/v1). Other layers import only this file and options.ts.

import { RigtuneError } from '../../../core/errors.ts';
import { BraiinsActuator } from './actuator.ts';
import { type BraiinsActuatorOptionsInput, BraiinsActuatorOptionsSchema } from './options.ts';

export const kind = 'braiins';
export const optionsSchema = BraiinsActuatorOptionsSchema;
export { BRAIINS_DEVICE, BraiinsActuator } from './actuator.ts';
export type { BraiinsActuatorOptions, BraiinsActuatorOptionsInput } from './options.ts';
export { powerTargetLimitsOf, type TunerTarget, tunerTargetOf } from './replies.ts';

/** What the runtime hands the driver. */
export interface BraiinsActuatorDeps {
  /** Rig name (the same as the rig's cgminer source). */
  readonly rig: string;
  /** Environment for the `{ env: NAME }` password reference; default none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Validates `options` and builds the driver. Throws RT_CONFIG_INVALID naming the option, or the
 * environment variable (never its value) when the password reference is unset.
 */
export function create(options: BraiinsActuatorOptionsInput, deps: BraiinsActuatorDeps): BraiinsActuator {
  const parsed = BraiinsActuatorOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String).join('.');
    const field = path === '' ? kind : `${kind}.${path}`;
    throw new RigtuneError('RT_CONFIG_INVALID', `${field}: ${issue.message}`, { field });
  }
  const ref = parsed.data.password;
  let password = '';
  if (ref !== undefined) {
    const value = deps.env?.[ref.env];
    if (value === undefined || value === '')
      throw new RigtuneError('RT_CONFIG_INVALID', `Environment variable ${ref.env} is not set`, {
        field: `${kind}.password`,
      });
    password = value;
  }
  return new BraiinsActuator(parsed.data, password, deps.rig);
}
