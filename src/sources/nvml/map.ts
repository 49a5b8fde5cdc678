// Pure mapping of NVML readings to snapshots: unit conversion (mW → W, mJ → J), the device id (the
// canonical PCI bus id), and the values kept as raw fields. Hash-rate fields stay null (NVML has none).

import type { DeviceInfo } from '../../core/source.ts';
import type { NvmlDevice, NvmlDeviceReading } from '../../protocols/nvml/index.ts';
import { type MapResultBuilder, normalizePciBusId } from '../common/index.ts';

const MIB = 1024 * 1024;

/**
 * The device id of a GPU: its PCI bus id in the canonical lower-case `0000:00:06.0` form (the join
 * key with GPU-miner sources), or `gpu<index>` when NVML gave no bus id.
 */
export function deviceIdOf(device: NvmlDevice): string {
  return normalizePciBusId(device.pciBusId) ?? `gpu${device.index}`;
}

/** What the probe and the miner joins learn about a GPU. */
export function deviceInfoOf(device: NvmlDevice): DeviceInfo {
  return {
    device: deviceIdOf(device),
    model: device.name ?? undefined,
    pci_bus_id: normalizePciBusId(device.pciBusId) ?? undefined,
    uuid: device.uuid ?? undefined,
  };
}

const div = (value: number | null, by: number): number | null => (value === null ? null : value / by);

/**
 * Adds one GPU's reading to `builder`: power_w, energy_j (raw counter, resets left to telemetry),
 * temp_core_c, temp_mem_c, clock_core_mhz (SM), clock_mem_mhz, fan_pct, util_pct, power_limit_w
 * (enforced, else the requested limit) and throttle_flags; the rest as raw fields when read.
 */
export function mapNvmlReading(
  builder: MapResultBuilder,
  device: NvmlDevice,
  reading: NvmlDeviceReading,
): void {
  const id = deviceIdOf(device);
  builder.device(deviceInfoOf(device));
  builder.set(id, {
    power_w: div(reading.powerMw, 1000),
    energy_j: div(reading.energyMj, 1000),
    temp_core_c: reading.tempGpuC,
    temp_mem_c: reading.tempMemC,
    clock_core_mhz: reading.clockSmMhz,
    clock_mem_mhz: reading.clockMemMhz,
    fan_pct: reading.fanPct,
    util_pct: reading.utilGpuPct,
    power_limit_w: div(reading.enforcedPowerLimitMw ?? reading.powerLimitMw, 1000),
    throttle_flags: reading.clocksEventReasons,
  });
  const raw = (field: string, value: string | number | null) => {
    if (value !== null) builder.raw(id, field, value);
  };
  raw('pstate', reading.pstate === null ? null : `P${reading.pstate}`);
  raw('util_mem_pct', reading.utilMemPct);
  raw('memory_used_mib', div(reading.memUsedBytes, MIB));
  raw('memory_total_mib', div(reading.memTotalBytes, MIB));
  raw('pcie_tx_kb_s', reading.pcieTxKbS);
  raw('pcie_rx_kb_s', reading.pcieRxKbS);
  raw('power_limit_requested_w', div(reading.powerLimitMw, 1000));
  raw('power_limit_min_w', div(reading.powerLimitMinMw, 1000));
  raw('power_limit_max_w', div(reading.powerLimitMaxMw, 1000));
  raw('power_limit_default_w', div(reading.powerLimitDefaultMw, 1000));
}
