// What NVML plus the miner would report for a simulated GPU at one instant, in the snapshot schema:
// integer temperatures as NVML gives them, the commanded fan % and the tachometer, raw counters.

import { emptySnapshot, type Snapshot } from '../core/snapshot.ts';
import type { SimGpu } from './gpu-device.ts';

/**
 * The snapshot of `gpu` stamped `tsMs`. Every numeric field is null while the GPU is off the bus
 * (nothing can read it); a card without fans reports null `fan_pct`/`fan_rpm`.
 */
export function gpuSnapshot(gpu: SimGpu, tsMs: number): Snapshot {
  if (gpu.isOffBus) return emptySnapshot(tsMs, gpu.id.rig, gpu.id.device);
  const p = gpu.profile;
  return {
    ts: tsMs,
    rig: gpu.id.rig,
    device: gpu.id.device,
    hashrate_5s: gpu.hashrate5s,
    hashrate_1m: gpu.hashrate1m,
    hashrate_expected: gpu.expectedHs,
    power_w: gpu.reportedPowerW,
    power_limit_w: gpu.powerLimitW,
    temp_core_c: Math.round(gpu.tempDieC),
    temp_mem_c: Math.round(gpu.tempMemC),
    temp_chip_max_c: null,
    temp_inlet_c: null,
    temp_outlet_c: null,
    temp_target_c: p.tempTargetC,
    fan_pct: p.hasFan ? Math.round(gpu.fanPct) : null,
    fan_rpm: p.hasFan ? Math.round(gpu.fanRpm) : null,
    clock_core_mhz: gpu.reportedCoreMhz,
    clock_mem_mhz: Math.round(gpu.memClockMhz),
    util_pct: 100,
    stratum_latency_ms: gpu.pool.latencyMs,
    accepted_shares: gpu.shares.accepted,
    rejected_shares: gpu.shares.rejected,
    stale_shares: gpu.shares.stale,
    diff_accepted: gpu.shares.diffAccepted,
    diff_rejected: gpu.shares.diffRejected,
    diff_stale: gpu.shares.diffStale,
    hw_errors: gpu.hwErrors,
    energy_j: gpu.energyJ,
    throttle_flags: gpu.throttleFlags,
  };
}
