// Options of the auto-tune controller (strict: unknown keys are errors): guard rails, validation
// statistics and safe settings, each with its unit and default. The mode is the rig's `autotune:` key.

import { z } from 'zod';
import { SETPOINT_KINDS } from '../../core/actuator.ts';
import { RigtuneError } from '../../core/errors.ts';

/** `{min, max}` in the set-point's unit; either side may be left out (the device's own limit applies). */
const RangeSchema = z
  .strictObject({
    min: z.number().optional().describe("Lowest value allowed, in the set-point's unit."),
    max: z.number().optional().describe("Highest value allowed, in the set-point's unit."),
  })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'min must not exceed max');

const positive = (dflt: number, what: string) => z.number().positive().default(dflt).describe(what);

/** Validated options of one rig's auto-tune controller. */
export const AutotuneOptionsSchema = z.strictObject({
  setpoints: z
    .array(z.enum(SETPOINT_KINDS))
    .min(1)
    .default(['power_limit_w'])
    .describe('Set-points the controller may change (others are left alone). Default [power_limit_w].'),
  bounds: z
    .strictObject({
      power_limit_w: RangeSchema.optional(),
      clock_core_max_mhz: RangeSchema.optional(),
      clock_mem_max_mhz: RangeSchema.optional(),
      fan_pct: RangeSchema.optional(),
      profile_step: RangeSchema.optional(),
    })
    .default({})
    .describe(
      "Configured limits per set-point; an action's target must lie in these ∩ the device's limits. Default none.",
    ),
  max_step: z
    .strictObject({
      power_limit_w: positive(25, 'W. Default 25.'),
      clock_core_max_mhz: positive(60, 'MHz. Default 60.'),
      clock_mem_max_mhz: positive(100, 'MHz. Default 100.'),
      fan_pct: positive(10, '%. Default 10.'),
      profile_step: positive(1, 'Profile steps. Default 1.'),
    })
    .prefault({})
    .describe('Largest change of one action, before the guard curve scales it down.'),
  min_step: z
    .strictObject({
      power_limit_w: positive(5, 'W. Default 5.'),
      clock_core_max_mhz: positive(15, 'MHz. Default 15.'),
      clock_mem_max_mhz: positive(25, 'MHz. Default 25.'),
      fan_pct: positive(2, '%. Default 2.'),
      profile_step: positive(1, 'Profile steps. Default 1.'),
    })
    .prefault({})
    .describe('Smallest change worth an action: a guard-scaled step below it is not taken.'),
  safe: z
    .strictObject({
      power_limit_w: z.number().nullable().optional(),
      clock_core_max_mhz: z.number().nullable().optional(),
      clock_mem_max_mhz: z.number().nullable().optional(),
      fan_pct: z.number().nullable().optional(),
      profile_step: z.number().nullable().optional(),
    })
    .default({ power_limit_w: null, clock_core_max_mhz: null, clock_mem_max_mhz: null, fan_pct: null })
    .describe(
      'Safe settings restored on shutdown on devices rigtune changed; null = the device default (unlocked clocks, automatic fan). Default: device defaults.',
    ),
  restore_on_shutdown: z
    .boolean()
    .default(true)
    .describe('Restore the safe settings on shutdown. Default true.'),
  min_interval_ms: z
    .number()
    .int()
    .min(0)
    .default(600_000)
    .describe('Least time between two actions on one device, ms. Default 600000 (10 min).'),
  cooldown_ms: z
    .number()
    .int()
    .min(0)
    .default(1_800_000)
    .describe(
      'No action on a device this long after a rollback or a macro rupture on it, ms. Default 1800000.',
    ),
  max_actions_per_hour: z
    .number()
    .int()
    .min(1)
    .default(6)
    .describe('Most actions on the rig in any 60-minute window (restores excluded). Default 6.'),
  max_concurrent_actions: z
    .number()
    .int()
    .min(1)
    .default(1)
    .describe('Devices of the rig that may be under validation at once. Default 1.'),
  baseline_ms: z
    .number()
    .int()
    .min(1000)
    .default(300_000)
    .describe('Pre-action window the post-action samples are compared with, ms. Default 300000.'),
  settle_ms: z
    .number()
    .int()
    .min(0)
    .default(60_000)
    .describe('Samples this long after a write are ignored (clocks and power settle), ms. Default 60000.'),
  watch_ms: z
    .number()
    .int()
    .min(1000)
    .default(300_000)
    .describe('Post-action watch window after the settle time, ms. Default 300000.'),
  block_ms: z
    .number()
    .int()
    .min(1000)
    .default(30_000)
    .describe(
      'Samples are averaged in blocks this long before the Welch test (absorbs autocorrelation), ms. Default 30000.',
    ),
  min_blocks: z
    .number()
    .int()
    .min(2)
    .default(4)
    .describe('Fewest blocks with data each window needs; fewer = insufficient data (roll back). Default 4.'),
  confidence: z
    .number()
    .min(0.5)
    .max(0.9999)
    .default(0.95)
    .describe('Two-sided confidence of the efficiency-difference interval. Default 0.95.'),
  efficiency_margin: z
    .number()
    .min(0)
    .max(0.5)
    .default(0.01)
    .describe(
      'Non-inferiority margin: commit only if the interval of (post − pre)/pre efficiency lies above −margin. Default 0.01.',
    ),
  reject_alpha: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.01)
    .describe('Roll back when the reject share rose with a one-sided p-value below this. Default 0.01.'),
  hw_error_alpha: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.01)
    .describe('Roll back when the HW-error rate rose with a one-sided p-value below this. Default 0.01.'),
  temp_limits_c: z
    .strictObject({
      temp_core_c: z.number().nullable().default(83),
      temp_mem_c: z.number().nullable().default(100),
      temp_chip_max_c: z.number().nullable().default(90),
    })
    .prefault({})
    .describe(
      'Roll back when a post-action block mean exceeds one (°C); null = not checked. Defaults 83, 100, 90.',
    ),
  cooling_temp_margin_c: z
    .number()
    .min(0)
    .max(20)
    .default(1)
    .describe(
      "A cooling move over a temperature limit passes when its hottest block is at most this much hotter than the baseline's, °C. Default 1.",
    ),
  hard_temp_margin_c: z
    .number()
    .min(0)
    .max(30)
    .default(5)
    .describe(
      'Hard limit = temp_limits_c + this: above it even a cooling move is rolled back, °C. Default 5.',
    ),
  action_timeout_ms: z
    .number()
    .int()
    .min(100)
    .default(10_000)
    .describe('Longest wait for one write or read-back, ms. Default 10000.'),
  stale_ms: z
    .number()
    .int()
    .min(1000)
    .default(60_000)
    .describe("No action when the device's latest score is older than this, ms. Default 60000."),
  advice_ttl_ms: z
    .number()
    .int()
    .min(1000)
    .default(3_600_000)
    .describe('Lifetime of advice records; the same advice is not repeated within it, ms. Default 3600000.'),
});

export type AutotuneOptions = z.output<typeof AutotuneOptionsSchema>;
export type AutotuneOptionsInput = z.input<typeof AutotuneOptionsSchema>;

/** The defaults, parsed. */
export const DEFAULT_AUTOTUNE_OPTIONS: AutotuneOptions = AutotuneOptionsSchema.parse({});

/** Validates `input`; throws RT_CONFIG_INVALID naming the first bad option (`autotune.<path>`). */
export function parseAutotuneOptions(input: unknown): AutotuneOptions {
  const r = AutotuneOptionsSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = ['autotune', ...path.map(String)].join('.');
  throw new RigtuneError('RT_CONFIG_INVALID', `${field}: ${issue.message}`, { field });
}
