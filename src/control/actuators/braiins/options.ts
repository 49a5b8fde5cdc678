// Options of the Braiins OS+ actuator driver (strict: unknown keys are errors). The password only as
// an environment reference, so it never sits in the config file or the logs. Times in ms, power in W.

import { z } from 'zod';

const EnvRef = z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) });

/** Validated options of the braiins actuator. */
export const BraiinsActuatorOptionsSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .describe(
      'Base URL of the miner web server that serves the public REST API (/api/v1), e.g. http://192.168.1.60. Required.',
    ),
  username: z.string().min(1).default('root').describe('Login user of the public API. Default root.'),
  password: EnvRef.optional().describe(
    'Login password as `{ env: NAME }` (never logged). Default: an empty password is sent.',
  ),
  timeout_ms: z
    .number()
    .int()
    .min(10)
    .default(5000)
    .describe('Limit per HTTP request (connect to last byte), ms. Default 5000.'),
  connect_timeout_ms: z
    .number()
    .int()
    .min(10)
    .optional()
    .describe('Limit for the TCP connect, ms. Default: timeout_ms.'),
  power_target_bounds_w: z
    .strictObject({
      min: z.number().int().min(0).describe('Lowest power target, W.'),
      max: z.number().int().min(1).describe('Highest power target, W.'),
    })
    .refine((b) => b.min <= b.max, { message: 'min must not exceed max' })
    .optional()
    .describe(
      'Power-target bounds, W, used ONLY when the firmware reports no tuner constraints (GET /api/v1/configuration/constraints). Default none: without constraints the driver offers no power target.',
    ),
  reject_unauthorized: z
    .boolean()
    .default(true)
    .describe('https only: verify the miner certificate. Default true.'),
});

export type BraiinsActuatorOptions = z.output<typeof BraiinsActuatorOptionsSchema>;
export type BraiinsActuatorOptionsInput = z.input<typeof BraiinsActuatorOptionsSchema>;
