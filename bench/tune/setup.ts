// The tuning bench's fleet and settings: which simulated devices run, with which guard rails, optimizer
// options and faults; each device is its own rig so each has its own controller, journal and rails.

import type { AutotuneOptionsInput } from '../../src/control/autotune/index.ts';
import type { OptimizerOptionsInput } from '../../src/control/optimizer/index.ts';
import type { AlgorithmName, GpuModelChoice } from '../../src/sim/index.ts';

/** One simulated fleet of the bench (a fleet mines one algorithm). */
export interface FleetPlan {
  readonly tag: string;
  readonly seed: number;
  readonly algo: AlgorithmName;
  readonly gpuModel: GpuModelChoice;
  readonly gpuRigs: number;
  readonly asics: number;
  /** `--faults` syntax (offsets from the start). */
  readonly faults: string;
}

/** Guard rails and optimizer settings of one device model. */
export interface ModelPlan {
  readonly autotune: AutotuneOptionsInput;
  readonly optimizer: OptimizerOptionsInput;
}

/** Rails shared by every model: the controller's defaults, stated so the audit checks the same numbers. */
const RAILS = {
  min_interval_ms: 600_000,
  cooldown_ms: 1_800_000,
  max_actions_per_hour: 6,
  max_concurrent_actions: 1,
} as const;

/**
 * Per model: the power-limit step is scaled to the card (≈ 7 % of its default limit per action, the
 * controller's 25 W default for a 350 W card), the search resolution equals the min step, and a card
 * with its own fans tunes `fan_pct` too (fan first: it holds the memory junction at 90 °C).
 */
export const MODELS: Readonly<Record<string, ModelPlan>> = {
  rtx3080ti: {
    autotune: {
      ...RAILS,
      setpoints: ['fan_pct', 'power_limit_w'],
      bounds: { power_limit_w: { min: 150, max: 350 }, fan_pct: { min: 30, max: 100 } },
      max_step: { power_limit_w: 25, fan_pct: 10 },
      min_step: { power_limit_w: 5, fan_pct: 2 },
    },
    optimizer: { search: { resolution: { power_limit_w: 5 } } },
  },
  h100: {
    autotune: {
      ...RAILS,
      setpoints: ['power_limit_w'],
      bounds: { power_limit_w: { min: 200, max: 700 } },
      max_step: { power_limit_w: 50 },
      min_step: { power_limit_w: 5 },
    },
    optimizer: { search: { resolution: { power_limit_w: 5 } } },
  },
  s19pro: {
    autotune: {
      ...RAILS,
      setpoints: ['power_limit_w'],
      bounds: { power_limit_w: { min: 1200, max: 3400 } },
      max_step: { power_limit_w: 200 },
      min_step: { power_limit_w: 25 },
    },
    optimizer: {
      search: { resolution: { power_limit_w: 25 } },
      thermal: { targets_c: { temp_chip_max_c: 78 } },
    },
  },
};

/**
 * The fleets: Ethash (RTX 3080 Ti, H100, two S19 Pro) and KawPow (RTX 3080 Ti, H100). Faults mid-run:
 * memory errors on an RTX for 20 min, a fan failure on an S19 from 90 min on (permanent), pool
 * latency on a KawPow rig.
 */
export function fleetPlans(short: boolean, seedOffset = 0): FleetPlan[] {
  const plans: FleetPlan[] = [
    {
      tag: 'eth',
      seed: 11 + seedOffset,
      algo: 'ethash',
      gpuModel: 'mixed',
      gpuRigs: short ? 2 : 4,
      asics: short ? 1 : 2,
      faults: short
        ? 'memory_errors@rig0/gpu0@40m+15m'
        : 'memory_errors@rig2/gpu0@100m+20m,fan_failure@asic1@90m',
    },
  ];
  if (!short)
    plans.push({
      tag: 'kaw',
      seed: 23 + seedOffset,
      algo: 'kawpow',
      gpuModel: 'mixed',
      gpuRigs: 2,
      asics: 0,
      faults: 'pool_latency@rig1@60m+10m',
    });
  return plans;
}
