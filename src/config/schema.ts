// The strict schema of `rigtune.yaml` (one section each: rigs, defaults, sampling, sinks, http,
// data_dir). Each source entry is checked afterwards by its own kind's schema (source-kinds.ts).

import { z } from 'zod';
import { ControlSchema, ENV_NAME, RigAutotuneField, RigOptimizerField } from './control.ts';
import { SinksSchema } from './sinks.ts';
import { ThresholdsSchema } from './thresholds.ts';

/** Rig names end up in Valkey keys, Prometheus labels and file names: a safe, short alphabet. */
export const RIG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export { AUTOTUNE_MODES, type AutotuneMode } from './control.ts';

/** The `http:` section: where the API listens and where its control token comes from. */
export const HttpSchema = z.strictObject({
  host: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Address the HTTP API binds to; 0.0.0.0 exposes it to the network. Default 127.0.0.1.'),
  port: z
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8080)
    .describe('TCP port of the HTTP API; 0 picks a free port. Default 8080.'),
  token_env: z
    .string()
    .regex(ENV_NAME, 'expected an environment variable name (letters, digits, _)')
    .optional()
    .describe(
      'Older place of control.api_token_env (environment variable holding the control API bearer token); use one of the two. Default: none.',
    ),
});

/** The `sampling:` section: poll cadences of the ingest scheduler. */
export const SamplingSchema = z
  .strictObject({
    interval_ms: z
      .number()
      .int()
      .min(100)
      .max(3_600_000)
      .default(1000)
      .describe(
        'Base poll interval of every source, ms (a source may poll slower, never faster). Default 1000.',
      ),
    burst_interval_ms: z
      .number()
      .int()
      .min(50)
      .default(200)
      .describe(
        'Poll interval of fast sources (NVML) while a rupture is suspected, ms; ≤ interval_ms. Default 200.',
      ),
    burst_duration_ms: z
      .number()
      .int()
      .min(0)
      .default(30_000)
      .describe('How long a burst lasts after the last suspicion, ms; 0 disables bursts. Default 30000.'),
    timeout_ms: z
      .number()
      .int()
      .min(10)
      .default(5000)
      .describe('Limit of one source poll, ms; a poll past it counts as a timeout. Default 5000.'),
  })
  .superRefine((s, ctx) => {
    if (s.burst_interval_ms > s.interval_ms)
      ctx.addIssue({
        code: 'custom',
        path: ['burst_interval_ms'],
        message: `expected at most interval_ms (${s.interval_ms}), got ${s.burst_interval_ms}`,
      });
  });

/** One rig: a name, its sources, and its own overrides of the global thresholds. */
export const RigSchema = z.strictObject({
  name: z
    .string()
    .regex(RIG_NAME, 'expected a rig name of 1..64 letters, digits, . _ - (starting with a letter or digit)')
    .describe('Unique rig name, used in keys, labels and file names: 1..64 of A-Z a-z 0-9 . _ -. Required.'),
  sources: z
    .array(z.unknown())
    .min(1)
    .describe("What to read: a list of `kind:` plus that kind's options (see Sources below). At least one."),
  thresholds: ThresholdsSchema.optional().describe(
    'Overrides of the global `defaults:` for this rig (same keys). Default: none.',
  ),
  autotune: RigAutotuneField,
  optimizer: RigOptimizerField,
  actuator: z
    .unknown()
    .optional()
    .describe(
      "What changes the rig's settings: `kind:` (sim, nvml, braiins, luxos) plus that kind's options (see Actuators below). Default none: the rig is advised, never tuned.",
    ),
  labels: z
    .record(
      z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,63}$/, 'expected a label name of a-z, 0-9, _ (not starting with a digit)'),
      z.string().max(256),
    )
    .default({})
    .describe('Free-form name → text labels (site, rack, owner), carried in the API and logs. Default none.'),
});

/** The whole file. */
export const ConfigSchema = z.strictObject({
  data_dir: z
    .string()
    .min(1)
    .default('./data')
    .describe(
      'Directory of the Parquet history, audit log and spools (relative to the working directory). Default ./data.',
    ),
  http: HttpSchema.prefault({}).describe('HTTP API (health, metrics, rigs, history, SSE stream).'),
  sampling: SamplingSchema.prefault({}).describe('Poll cadences.'),
  defaults: ThresholdsSchema.optional().describe(
    'Global scoring thresholds; every rig inherits them (see Thresholds).',
  ),
  sinks: SinksSchema.prefault({}).describe('Where results go.'),
  control: ControlSchema.prefault({}).describe(
    'Auto-tune control: action journal, control API token, kill switch.',
  ),
  rigs: z.array(RigSchema).min(1).describe('The rigs to observe. At least one.'),
});

export type ConfigInput = z.output<typeof ConfigSchema>;
export type RigInput = z.output<typeof RigSchema>;
