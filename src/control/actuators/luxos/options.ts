// Options of the LuxOS actuator driver (strict: unknown keys are errors). LuxOS needs no password on
// its TCP API: writes only need a session (`logon`), which the driver opens and closes per write.

import { z } from 'zod';

/** Validated options of the luxos actuator. */
export const LuxosActuatorOptionsSchema = z.strictObject({
  host: z.string().min(1).describe('Miner address (IP or DNS name) whose LuxOS API answers. Required.'),
  port: z.number().int().min(1).max(65535).default(4028).describe('LuxOS API TCP port. Default 4028.'),
  timeout_ms: z
    .number()
    .int()
    .min(10)
    .default(3000)
    .describe(
      'Limit per request (connect to last byte), ms; also bounds the closing `logoff`. Default 3000.',
    ),
  profile_scope: z
    .enum(['machine', 'board'])
    .default('machine')
    .describe(
      "Where profile_step applies: 'machine' (device 'total'; current LuxOS applies profiles machine-wide) or 'board' (devices 'board1'…, legacy per-board `profileset`). Default 'machine'.",
    ),
});

export type LuxosActuatorOptions = z.output<typeof LuxosActuatorOptionsSchema>;
export type LuxosActuatorOptionsInput = z.input<typeof LuxosActuatorOptionsSchema>;
