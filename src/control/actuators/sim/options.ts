// Options of the simulator actuator driver (strict: unknown keys are errors). The fleet itself is a
// dependency handed in by the runtime, so the options only narrow which devices may be changed.

import { z } from 'zod';
import { RigtuneError } from '../../../core/errors.ts';

/** Validated options of the sim actuator. */
export const SimActuatorOptionsSchema = z.strictObject({
  devices: z
    .array(z.string().min(1))
    .nullable()
    .default(null)
    .describe(
      "Devices of the rig this driver may change (GPU rigs: 'gpu0'…; ASIC miners: 'total'); null = all. Default null.",
    ),
});

export type SimActuatorOptions = z.output<typeof SimActuatorOptionsSchema>;
export type SimActuatorOptionsInput = z.input<typeof SimActuatorOptionsSchema>;

/** Validates `input`; throws RT_CONFIG_INVALID naming the first bad option (`sim.<path>`). */
export function parseSimActuatorOptions(input: unknown): SimActuatorOptions {
  const r = SimActuatorOptionsSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = ['sim', ...path.map(String)].join('.');
  throw new RigtuneError('RT_CONFIG_INVALID', `${field}: ${issue.message}`, { field });
}
