// The control parts of `rigtune.yaml`: a rig's `autotune:` (a mode, or a mapping of the mode and the
// controller's guard rails) and the global `control:` section (journal, API token, kill switch).

import { z } from 'zod';
import { AutotuneOptionsSchema } from '../control/autotune/options.ts';
import { OptimizerOptionsSchema } from '../control/optimizer/options.ts';

/** Autotune modes: off, advise (suggest only; default), auto (apply within guard rails). */
export const AUTOTUNE_MODES = ['off', 'advise', 'auto'] as const;
export type AutotuneMode = (typeof AUTOTUNE_MODES)[number];

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Shortest control API token accepted, characters (a short token can be guessed). */
export const MIN_TOKEN_CHARS = 16;

const ModeSchema = z.enum(AUTOTUNE_MODES);

/** `autotune:` as a mapping: the mode and the controller's options (src/control/autotune/options.ts). */
export const RigAutotuneSchema = z.strictObject({
  mode: ModeSchema.default('advise').describe(
    'off: score only; advise: also suggest settings; auto: apply them within the guard rails (needs `actuator:`). Default advise.',
  ),
  ...AutotuneOptionsSchema.shape,
});

/** A rig's `autotune:` key: a mode alone (`autotune: auto`) or the mapping above. */
export const RigAutotuneField = z
  .union([ModeSchema, RigAutotuneSchema])
  .default('advise')
  .describe(
    'off: score only; advise: also suggest settings; auto: apply them within guard rails (needs `actuator:`). A mode, or a mapping of `mode` and the guard rails (see Auto-tune below). Default advise.',
  );

/** The `control:` section. */
export const ControlSchema = z.strictObject({
  journal_dir: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Directory of the write-ahead action journal (actions.journal.ndjson); created if missing. Default <data_dir>/journal.',
    ),
  api_token: z
    .string()
    .min(MIN_TOKEN_CHARS, `expected a token of at least ${MIN_TOKEN_CHARS} characters`)
    .optional()
    .describe(
      'Bearer token the control API (POST routes) requires, ≥ 16 characters; prefer api_token_env (or an ENV reference) so it stays out of the file. Default: none (every control request is refused with 401).',
    ),
  api_token_env: z
    .string()
    .regex(ENV_NAME, 'expected an environment variable name (letters, digits, _)')
    .optional()
    .describe('Environment variable holding the control API bearer token. Default: none.'),
  kill_switch: z
    .boolean()
    .default(false)
    .describe(
      'Start with the global kill switch engaged: no auto-tune or manual action until POST /api/killswitch releases it. Default false.',
    ),
});

/** A rig's `optimizer:` key: how auto mode searches for efficiency and holds temperatures. */
export const RigOptimizerField = OptimizerOptionsSchema.prefault({}).describe(
  'How auto mode searches for efficiency (set-points, resolution, retries) and holds temperatures (fan targets, power fallback); docs/control-policy.md explains each. Default: the built-ins.',
);

export type RigAutotuneInput = z.output<typeof RigAutotuneField>;
export type ControlInput = z.output<typeof ControlSchema>;
