// Options of the advisory engine: which rules run and their trigger/clear thresholds (strict: unknown
// keys are errors). Written under `defaults.advisory` or a rig's `thresholds.advisory`; imports only zod.

import { z } from 'zod';

const frac = (text: string) => z.number().min(0).max(1).describe(text);
const count = (min: number, text: string) => z.number().int().min(min).describe(text);
const positive = (text: string) => z.number().positive().describe(text);
const nonNegative = (text: string) => z.number().min(0).describe(text);
const mask = (text: string) => z.number().int().min(0).max(0xffffffff).describe(text);
const enabled = (what: string) => z.boolean().describe(`Run the ${what} rule.`);

const ThermalSchema = z
  .strictObject({
    core_hot_c: z
      .number()
      .min(-50)
      .max(200)
      .describe('Core (GPU die, ASIC PCB) temperature counted as hot, °C.'),
    mem_hot_c: z.number().min(-50).max(200).describe('Memory-junction temperature counted as hot, °C.'),
    chip_hot_c: z.number().min(-50).max(200).describe('Hottest ASIC chip temperature counted as hot, °C.'),
    clear_margin_c: nonNegative(
      'A device stops being hot once every sensor is this many °C below its hot mark.',
    ),
    critical_over_c: nonNegative('Hot advice is critical once a sensor is this many °C above its hot mark.'),
  })
  .partial();

const PowerSchema = z
  .strictObject({
    enabled: enabled('lower power limit'),
    eff_norm_trigger: frac(
      'Efficiency branch fires at eff_norm at or below this (0.25 ≈ 6 MADs below the recent median).',
    ),
    eff_norm_clear: frac('… and clears at eff_norm at or above this; ≥ eff_norm_trigger.'),
    high_power_frac: frac('The efficiency branch needs power_w at or above this fraction of power_limit_w.'),
    step_frac: frac('Suggested cut as a fraction of the current power limit (0.05 = 5 %).'),
    min_step_w: nonNegative('Smallest suggested cut, W.'),
  })
  .partial();

const FanSchema = z
  .strictObject({
    enabled: enabled('raise fan'),
    fan_max_pct: z.number().min(0).max(100).describe('A fan at or above this duty has no headroom left, %.'),
    step_pct: z.number().positive().max(100).describe('Suggested fan increase, percentage points.'),
  })
  .partial();

const ClockSchema = z
  .strictObject({
    enabled: enabled('lower core clock'),
    throttle_mask: mask('Throttle bits that fire the rule (default 0x60: SW and HW thermal slowdown).'),
    step_mhz: positive('Suggested cut of the GPU core clock ceiling, MHz (ASICs: one profile step).'),
    hw_errors_trigger_per_min: positive(
      'Hardware-error rate over the window that fires the rule, errors/min.',
    ),
    hw_errors_clear_per_min: nonNegative('… and that clears it, errors/min; ≤ the trigger.'),
    hw_errors_min_count: count(1, 'Fewest hardware errors in the window before the rate can fire.'),
    hw_window_s: z.number().int().min(60).max(86_400).describe('Window of the hardware-error rate, s.'),
  })
  .partial();

const CheckFanSchema = z
  .strictObject({
    enabled: enabled('check fan (stalled fan)'),
    min_fan_pct: z
      .number()
      .min(0)
      .max(100)
      .describe('Fan duty above which a stopped tachometer means a stall, %.'),
    stalled_rpm: nonNegative('A tachometer at or below this reads as stopped, RPM.'),
    clear_rpm: nonNegative('The stall clears once the tachometer reads at least this, RPM; ≥ stalled_rpm.'),
  })
  .partial();

const PoolSchema = z
  .strictObject({
    enabled: enabled('check pool'),
    latency_trigger_ms: positive('Stratum latency that fires the rule, ms.'),
    latency_clear_ms: nonNegative('Stratum latency at or below which it clears, ms; ≤ the trigger.'),
    latency_critical_ms: positive('Stratum latency from which the advice is critical, ms.'),
    reject_trigger: frac('Fires when the lower 95 % bound of the reject rate reaches this (0.03 = 3 %).'),
    reject_clear: frac('Clears when the reject rate is at or below this; ≤ reject_trigger.'),
    reject_critical: frac('Reject rate from which the advice is critical.'),
    min_shares: count(1, 'Fewest shares in the window before the reject rate counts.'),
  })
  .partial();

const RatioSchema = (what: string) =>
  z
    .strictObject({
      enabled: enabled(what),
      ratio_trigger: frac('Fires at hashrate_ratio (hashrate / expected) at or below this.'),
      ratio_clear: frac('Clears at hashrate_ratio at or above this; ≥ ratio_trigger.'),
      ratio_critical: frac('Critical at hashrate_ratio at or below this.'),
    })
    .partial();

const PsuSchema = z
  .strictObject({
    enabled: enabled('check power supply'),
    throttle_mask: mask('Throttle bits that fire the rule (default 0x80: HW power brake).'),
  })
  .partial();

const StaleSchema = z.strictObject({ enabled: enabled('device stale / lost') }).partial();

const RulesSchema = z
  .strictObject({
    lower_power_limit: PowerSchema.describe(
      'Hot with no fan headroom, or efficiency below its norm at high power.',
    ),
    raise_fan: FanSchema.describe('Hot with fan headroom.'),
    lower_core_clock: ClockSchema.describe('Thermal throttling or a high hardware-error rate.'),
    check_fan: CheckFanSchema.describe('Fan commanded on but its tachometer reads stopped.'),
    check_pool: PoolSchema.describe('High stratum latency or reject rate (rig-wide).'),
    inspect_hashboard: RatioSchema('inspect hashboard').describe(
      'An ASIC board hashing below expected, or missing.',
    ),
    inspect_device: RatioSchema('inspect device').describe('A GPU or miner total hashing below expected.'),
    check_power_supply: PsuSchema.describe('Power-brake throttling (PSU or power delivery).'),
    device_stale: StaleSchema.describe('No fresh samples, or samples with no readings.'),
  })
  .partial();

/** The advisory options as written in YAML; every key optional (rigtune's defaults fill the rest). */
export const AdvisoryOptionsSchema = z
  .strictObject({
    enabled: z.boolean().describe('Run the advisory engine for this rig.'),
    persist_ticks: count(1, 'Consecutive ticks a condition must hold before its advice is raised.'),
    clear_ticks: count(1, 'Consecutive ticks past the clear threshold before an advice is cleared.'),
    ttl_ms: z
      .number()
      .int()
      .min(1000)
      .describe(
        'Lifetime of an advice record, ms; when it passes the advice is cleared (and raised again if the condition still holds).',
      ),
    escalate_on_macro: z
      .boolean()
      .describe('A warning on a device whose rupture class is macro is raised as critical.'),
    thermal: ThermalSchema.describe('Hot marks shared by the fan and power rules.'),
    rules: RulesSchema.describe('Per-rule switches and thresholds.'),
  })
  .partial();

export type AdvisoryOptionsInput = z.output<typeof AdvisoryOptionsSchema>;

type DeepRequired<T> = T extends object ? { readonly [K in keyof T]-?: DeepRequired<T[K]> } : T;

/** Every advisory option with a value. */
export type AdvisoryOptions = DeepRequired<AdvisoryOptionsInput>;

/** rigtune's built-in advisory options (docs/control-policy.md explains each default). */
export const DEFAULT_ADVISORY_OPTIONS: AdvisoryOptions = {
  enabled: true,
  persist_ticks: 3,
  clear_ticks: 5,
  ttl_ms: 900_000,
  escalate_on_macro: true,
  thermal: { core_hot_c: 80, mem_hot_c: 104, chip_hot_c: 85, clear_margin_c: 4, critical_over_c: 5 },
  rules: {
    lower_power_limit: {
      enabled: true,
      eff_norm_trigger: 0.25,
      eff_norm_clear: 0.4,
      high_power_frac: 0.9,
      step_frac: 0.05,
      min_step_w: 5,
    },
    raise_fan: { enabled: true, fan_max_pct: 90, step_pct: 10 },
    lower_core_clock: {
      enabled: true,
      throttle_mask: 0x60,
      step_mhz: 50,
      hw_errors_trigger_per_min: 2,
      hw_errors_clear_per_min: 1,
      hw_errors_min_count: 5,
      hw_window_s: 600,
    },
    check_fan: { enabled: true, min_fan_pct: 20, stalled_rpm: 0, clear_rpm: 300 },
    check_pool: {
      enabled: true,
      latency_trigger_ms: 250,
      latency_clear_ms: 150,
      latency_critical_ms: 1000,
      reject_trigger: 0.03,
      reject_clear: 0.015,
      reject_critical: 0.1,
      min_shares: 20,
    },
    inspect_hashboard: { enabled: true, ratio_trigger: 0.85, ratio_clear: 0.93, ratio_critical: 0.5 },
    inspect_device: { enabled: true, ratio_trigger: 0.8, ratio_clear: 0.9, ratio_critical: 0.5 },
    check_power_supply: { enabled: true, throttle_mask: 0x80 },
    device_stale: { enabled: true },
  },
};

/** A rule between advisory options that fails: `path` (relative to the advisory section) and why. */
export interface AdvisoryProblem {
  /** Keys involved, culprit first (the clear threshold, then its trigger). */
  readonly paths: readonly (readonly string[])[];
  readonly message: string;
}

/** Trigger/clear pairs that must keep their order (a clear threshold past its trigger would flap). */
export function checkAdvisoryOptions(o: AdvisoryOptions): AdvisoryProblem[] {
  const r = o.rules;
  const pairs: [string, string, number, string, number, 'le' | 'ge'][] = [
    [
      'lower_power_limit',
      'eff_norm_clear',
      r.lower_power_limit.eff_norm_clear,
      'eff_norm_trigger',
      r.lower_power_limit.eff_norm_trigger,
      'ge',
    ],
    [
      'lower_core_clock',
      'hw_errors_clear_per_min',
      r.lower_core_clock.hw_errors_clear_per_min,
      'hw_errors_trigger_per_min',
      r.lower_core_clock.hw_errors_trigger_per_min,
      'le',
    ],
    ['check_fan', 'clear_rpm', r.check_fan.clear_rpm, 'stalled_rpm', r.check_fan.stalled_rpm, 'ge'],
    [
      'check_pool',
      'latency_clear_ms',
      r.check_pool.latency_clear_ms,
      'latency_trigger_ms',
      r.check_pool.latency_trigger_ms,
      'le',
    ],
    [
      'check_pool',
      'reject_clear',
      r.check_pool.reject_clear,
      'reject_trigger',
      r.check_pool.reject_trigger,
      'le',
    ],
    [
      'inspect_hashboard',
      'ratio_clear',
      r.inspect_hashboard.ratio_clear,
      'ratio_trigger',
      r.inspect_hashboard.ratio_trigger,
      'ge',
    ],
    [
      'inspect_device',
      'ratio_clear',
      r.inspect_device.ratio_clear,
      'ratio_trigger',
      r.inspect_device.ratio_trigger,
      'ge',
    ],
  ];
  const problems: AdvisoryProblem[] = [];
  for (const [rule, clearKey, clear, triggerKey, trigger, order] of pairs) {
    const bad = order === 'le' ? clear > trigger : clear < trigger;
    if (bad)
      problems.push({
        paths: [
          ['rules', rule, clearKey],
          ['rules', rule, triggerKey],
        ],
        message: `expected rules.${rule}.${clearKey} ${order === 'le' ? '≤' : '≥'} ${triggerKey} (${trigger}), got ${clear}`,
      });
  }
  return problems;
}
