// The limits a simulated device states for each set-point, taken from its model profile, the way a
// real driver reads min/max/default from the device (NVML constraints, firmware power-target range).

import type { DeviceControl, SetpointKind, SetpointLimits } from '../../../core/actuator.ts';
import type { SimAsic, SimGpu } from '../../../sim/index.ts';

/** The set-points of a simulated GPU: power limit, core/memory clock locks, and the fan if it has one. */
export function gpuControl(rig: string, gpu: SimGpu): DeviceControl {
  const p = gpu.profile;
  const limits: Partial<Record<SetpointKind, SetpointLimits>> = {
    power_limit_w: { min: p.powerLimitMinW, max: p.powerLimitMaxW, default: p.powerLimitDefaultW },
    clock_core_max_mhz: { min: p.coreMinMhz, max: p.coreMaxMhz, step: p.clockStepMhz, default: null },
    clock_mem_max_mhz: { min: p.memMinMhz, max: p.memMaxMhz, default: null },
  };
  if (p.hasFan) limits.fan_pct = { min: p.fanMinPct, max: 100, step: 1, default: null };
  return { rig, device: gpu.device, model: p.model, limits };
}

/** The set-points of a simulated ASIC miner (device `total`): power target and fan. */
export function asicControl(rig: string, asic: SimAsic): DeviceControl {
  const p = asic.profile;
  return {
    rig,
    device: 'total',
    model: p.model,
    limits: {
      power_limit_w: {
        min: p.powerTargetMinW,
        max: p.powerTargetMaxW,
        step: 1,
        default: p.powerTargetDefaultW,
      },
      fan_pct: { min: p.fanMinPct, max: 100, step: 1, default: null },
    },
  };
}
