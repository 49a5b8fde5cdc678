// The snapshots a cgminer-family source would read from a simulated ASIC: one per fitted board (chain
// rate, sensor temperatures, frequency, HW errors) and the miner total (power, fans, shares, counters).

import type { Snapshot, SnapshotValues } from '../core/snapshot.ts';
import type { SimAsic } from './asic-device.ts';

/** Snapshots of `asic` at `tsMs`: one per fitted board (`board0`…), then the miner total (`total`). */
export function asicSnapshots(asic: SimAsic, tsMs: number): Snapshot[] {
  const out: Snapshot[] = [];
  const p = asic.profile;
  let chipMax: number | null = null;
  let pcbMax: number | null = null;
  let freqSum = 0;
  let present = 0;
  for (const b of asic.boards) {
    const hot = asic.sensorMaxC(b);
    const chip = hot === null ? null : Math.round(hot);
    const pcb = chip === null ? null : chip - 5;
    if (chip !== null) chipMax = Math.max(chipMax ?? chip, chip);
    if (pcb !== null) pcbMax = Math.max(pcbMax ?? pcb, pcb);
    if (b.present) {
      freqSum += b.freqMhz;
      present++;
    }
    out.push(
      row(asic.rig, tsMs, `board${b.index}`, {
        hashrate_5s: b.rate5s,
        hashrate_expected: p.chipsPerBoard * p.hashPerChipMhz * p.freqDefaultMhz,
        temp_core_c: pcb,
        temp_chip_max_c: chip,
        temp_target_c: p.chipTargetC,
        clock_core_mhz: b.present ? b.freqMhz : null,
        hw_errors: b.hwErrors,
      }),
    );
  }
  const rpms = asic.fanRpms();
  out.push(
    row(asic.rig, tsMs, 'total', {
      hashrate_5s: asic.hashrate5s,
      hashrate_1m: asic.hashrate1m,
      hashrate_expected: asic.idealHs,
      power_w: asic.reportedPowerW,
      power_limit_w: asic.powerTargetW,
      temp_core_c: pcbMax,
      temp_chip_max_c: chipMax,
      temp_target_c: p.chipTargetC,
      fan_pct: Math.round(asic.fanPct),
      fan_rpm: Math.round(rpms.reduce((a, r) => a + r, 0) / rpms.length),
      clock_core_mhz: present > 0 ? freqSum / present : null,
      stratum_latency_ms: asic.pool.latencyMs,
      accepted_shares: asic.shares.accepted,
      rejected_shares: asic.shares.rejected,
      stale_shares: asic.shares.stale,
      diff_accepted: asic.shares.diffAccepted,
      diff_rejected: asic.shares.diffRejected,
      diff_stale: asic.shares.diffStale,
      hw_errors: asic.hwErrors,
      energy_j: asic.energyJ,
    }),
  );
  return out;
}

/** A snapshot row with the given values and null everywhere else. */
function row(rig: string, ts: number, device: string, values: Partial<SnapshotValues>): Snapshot {
  return {
    ts,
    rig,
    device,
    hashrate_5s: null,
    hashrate_1m: null,
    hashrate_expected: null,
    power_w: null,
    power_limit_w: null,
    temp_core_c: null,
    temp_mem_c: null,
    temp_chip_max_c: null,
    temp_inlet_c: null,
    temp_outlet_c: null,
    temp_target_c: null,
    fan_pct: null,
    fan_rpm: null,
    clock_core_mhz: null,
    clock_mem_mhz: null,
    util_pct: null,
    stratum_latency_ms: null,
    accepted_shares: null,
    rejected_shares: null,
    stale_shares: null,
    diff_accepted: null,
    diff_rejected: null,
    diff_stale: null,
    hw_errors: null,
    energy_j: null,
    throttle_flags: null,
    ...values,
  };
}
