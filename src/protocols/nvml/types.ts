// What the NVML client returns: device identities, one reading of a device's gauges and counters in
// NVML's own units (mW, mJ, °C, MHz, %, bytes, KB/s), and the calls that failed without being fatal.

/** A call that returned no value, without making the device unreadable. */
export interface NvmlIssue {
  /** The NVML function, with its selector where one function serves several fields. */
  readonly call: string;
  /** The nvmlReturn_t code; NVML_ERROR_FUNCTION_NOT_FOUND (13) when the library lacks the symbol. */
  readonly code: number;
  /** Symbolic name of `code`, e.g. `NVML_ERROR_NOT_SUPPORTED`. */
  readonly name: string;
  /** nvmlErrorString of `code` (or a sentence for a missing symbol). */
  readonly message: string;
}

/** PCI location of a device as nvmlDeviceGetPciInfo_v3 reports it. */
export interface NvmlPciLocation {
  readonly domain: number;
  readonly bus: number;
  readonly device: number;
  /** Combined 16-bit device id (high) and vendor id (low), e.g. 0x233010de. */
  readonly pciDeviceId: number;
  readonly pciSubSystemId: number;
}

/** One GPU found by enumeration. Strings are null where NVML could not read them. */
export interface NvmlDevice {
  /** NVML index (0-based; the order nvidia-smi uses). */
  readonly index: number;
  /** Opaque nvmlDevice_t; only meaningful to the client that enumerated it. */
  readonly handle: unknown;
  readonly name: string | null;
  /** e.g. `GPU-39762834-1690-1ce6-e823-b57c956e4780`. */
  readonly uuid: string | null;
  /** NVML's `busId` text, e.g. `00000000:00:06.0` (upper-case hex, 8-digit domain, function 0). */
  readonly pciBusId: string | null;
  readonly pci: NvmlPciLocation | null;
  /** Identity calls that failed (name, UUID or PCI info unsupported). */
  readonly issues: readonly NvmlIssue[];
}

/** One read of a device. Every value is null when its call was unsupported, missing or failed. */
export interface NvmlDeviceReading {
  /** Board power draw, mW (nvmlDeviceGetPowerUsage; a 1 s average on Ampere and newer). */
  readonly powerMw: number | null;
  /** Energy since the driver was last loaded, mJ (monotonic counter; Volta and newer). */
  readonly energyMj: number | null;
  /** GPU die temperature, °C. */
  readonly tempGpuC: number | null;
  /** Memory (HBM) temperature, °C, from field NVML_FI_DEV_MEMORY_TEMP; null on GDDR boards. */
  readonly tempMemC: number | null;
  /** SM clock, MHz. */
  readonly clockSmMhz: number | null;
  /** Memory clock, MHz. */
  readonly clockMemMhz: number | null;
  /** Intended fan speed, percent of maximum (may exceed 100); null on passively cooled boards. */
  readonly fanPct: number | null;
  /** Percent of the last sample period a kernel ran. */
  readonly utilGpuPct: number | null;
  /** Percent of the last sample period device memory was read or written. */
  readonly utilMemPct: number | null;
  /** Used and total device memory, bytes (nvmlMemory_t v1). */
  readonly memUsedBytes: number | null;
  readonly memTotalBytes: number | null;
  /** Software (requested) power limit, mW. */
  readonly powerLimitMw: number | null;
  /** Range the power limit may be set to, mW. */
  readonly powerLimitMinMw: number | null;
  readonly powerLimitMaxMw: number | null;
  /** Power limit after a driver reload, mW. */
  readonly powerLimitDefaultMw: number | null;
  /** Power limit in force (the lowest of all limiters), mW. */
  readonly enforcedPowerLimitMw: number | null;
  /** Performance state 0..15 (P0 = highest); null when NVML says unknown (32). */
  readonly pstate: number | null;
  /** Clock-event (throttle) reasons bitmask; see CLOCK_EVENT_REASONS. */
  readonly clocksEventReasons: number | null;
  /** PCIe throughput over NVML's 20 ms sampling window, KB/s. */
  readonly pcieTxKbS: number | null;
  readonly pcieRxKbS: number | null;
  /** Calls that gave no value (unsupported, missing symbol, other non-fatal codes). */
  readonly issues: readonly NvmlIssue[];
}

/** What `NvmlClient.systemVersions` read. Null where NVML could not tell (see `issues`). */
export interface NvmlSystemVersions {
  /** The NVIDIA driver's version, e.g. `580.159.04` (nvmlSystemGetDriverVersion). */
  readonly driverVersion: string | null;
  /** The NVML library's version, e.g. `13.580.159.04` (nvmlSystemGetNVMLVersion). */
  readonly nvmlVersion: string | null;
  /** The calls that failed without being fatal (absent symbol, NOT_SUPPORTED, …). */
  readonly issues: readonly NvmlIssue[];
}
