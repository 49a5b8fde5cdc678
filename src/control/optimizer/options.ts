// Options of the optimizer (strict: unknown keys are errors): the noise-aware efficiency search and the
// fan / thermal controller, each option with its unit and default. One block per rig, beside autotune.

import { z } from 'zod';
import { RigtuneError } from '../../core/errors.ts';

const SEARCH_KINDS = ['power_limit_w', 'clock_core_max_mhz', 'clock_mem_max_mhz', 'profile_step'] as const;

const SearchSchema = z.strictObject({
  kinds: z
    .array(z.enum(SEARCH_KINDS))
    .default(['power_limit_w'])
    .describe('Set-points the efficiency search moves (each searched on its own). Default [power_limit_w].'),
  initial_direction: z
    .union([z.literal(-1), z.literal(1)])
    .default(-1)
    .describe('First direction tried: −1 lowers (power, clocks), +1 raises. Default −1.'),
  resolution: z
    .strictObject({
      power_limit_w: z.number().positive().default(5).describe('W. Default 5.'),
      clock_core_max_mhz: z.number().positive().default(15).describe('MHz. Default 15.'),
      clock_mem_max_mhz: z.number().positive().default(25).describe('MHz. Default 25.'),
      profile_step: z.number().positive().default(1).describe('Profile steps. Default 1.'),
    })
    .prefault({})
    .describe(
      'The search stops once its step falls below this (use the autotune min_step, or the device grid).',
    ),
  max_retries: z
    .number()
    .int()
    .min(0)
    .default(1)
    .describe(
      'A step rolled back for a reason other than efficiency (heat, rejects, HW errors, too few blocks, a fault scored during the watch) or whose write failed is tried again this many times before it counts as worse. Default 1.',
    ),
  min_effect: z
    .number()
    .min(0)
    .max(0.1)
    .default(0.001)
    .describe(
      'Smallest relative efficiency change that counts as better or worse (smaller ones, even significant, are flat). Default 0.001.',
    ),
  max_flat_moves: z
    .number()
    .int()
    .min(0)
    .default(3)
    .describe(
      'Steps without a significant change taken in the first direction before any gain (a plateau) before the search turns. Default 3. (A power limit above the measured draw is first brought down to the draw, outside the search.)',
    ),
  recheck_ms: z
    .number()
    .int()
    .min(60_000)
    .nullable()
    .default(null)
    .describe(
      'After converging, probe again this long later (conditions drift); null = never. Default null.',
    ),
});

const TargetsSchema = z.strictObject({
  temp_core_c: z.number().nullable().default(75).describe('GPU die / hashboard PCB target, °C. Default 75.'),
  temp_mem_c: z.number().nullable().default(90).describe('Memory junction target, °C. Default 90.'),
  temp_chip_max_c: z.number().nullable().default(85).describe('Hottest ASIC chip target, °C. Default 85.'),
});

const ThermalSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Fan control and the power fallback. Default true.'),
  targets_c: TargetsSchema.prefault({}).describe('Temperatures to hold; null = not controlled.'),
  band_c: z
    .number()
    .min(0)
    .default(2)
    .describe('Act when a smoothed temperature exceeds its target by more than this, °C. Default 2.'),
  lower_band_c: z
    .number()
    .min(0)
    .default(8)
    .describe(
      'Lower a fan rigtune set only when every sensor is this far below its target, °C (hysteresis). Default 8.',
    ),
  gain_pct_per_c: z
    .number()
    .positive()
    .default(3)
    .describe('Fan change per °C of excess (proportional), % (then bounded by the step rails). Default 3.'),
  fan_saturated_pct: z
    .number()
    .min(0)
    .max(100)
    .default(98)
    .describe(
      'A fan at or above this duty (or stalled, or absent) cannot cool more: the power limit is lowered instead, %. Default 98.',
    ),
  smoothing_ms: z
    .number()
    .int()
    .min(0)
    .default(60_000)
    .describe('Time constant of the temperature smoothing, ms. Default 60000.'),
  fallback_step_frac: z
    .number()
    .gt(0)
    .max(0.5)
    .default(0.05)
    .describe('Power-limit cut of one thermal fallback, fraction of the current limit. Default 0.05.'),
  release_ms: z
    .number()
    .int()
    .min(0)
    .default(1_800_000)
    .describe(
      'The power ceiling a fallback set lifts after the device stayed below its targets this long, ms. Default 1800000.',
    ),
});

/** Validated options of one rig's optimizer. */
export const OptimizerOptionsSchema = z.strictObject({
  search: SearchSchema.prefault({}).describe('Noise-aware efficiency search.'),
  thermal: ThermalSchema.prefault({}).describe('Fan control to target temperatures, with power fallback.'),
});

export type OptimizerOptions = z.output<typeof OptimizerOptionsSchema>;
export type OptimizerOptionsInput = z.input<typeof OptimizerOptionsSchema>;
export type SearchOptions = OptimizerOptions['search'];
export type ThermalOptions = OptimizerOptions['thermal'];
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** The defaults, parsed. */
export const DEFAULT_OPTIMIZER_OPTIONS: OptimizerOptions = OptimizerOptionsSchema.parse({});

/** Validates `input`; throws RT_CONFIG_INVALID naming the first bad option (`optimizer.<path>`). */
export function parseOptimizerOptions(input: unknown): OptimizerOptions {
  const r = OptimizerOptionsSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = ['optimizer', ...path.map(String)].join('.');
  throw new RigtuneError('RT_CONFIG_INVALID', `${field}: ${issue.message}`, { field });
}
