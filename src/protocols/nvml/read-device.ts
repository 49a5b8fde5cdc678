// The per-device NVML reads: identity once (name, UUID, PCI info) and the gauges and counters on
// every poll, each call's failure becoming a null value plus an issue (or an error when fatal).

import { FIELD_VALUE_LAYOUT } from './bindings.ts';
import type { CallTarget, NvmlCalls } from './calls.ts';
import {
  NVML_CLOCK,
  NVML_DEVICE_NAME_V2_BUFFER_SIZE,
  NVML_DEVICE_UUID_V2_BUFFER_SIZE,
  NVML_FI_DEV_MEMORY_TEMP,
  NVML_PCIE_UTIL,
  NVML_TEMPERATURE_GPU,
  NVML_VALUE_TYPE,
} from './constants.ts';
import type { NvmlDevice, NvmlDeviceReading, NvmlIssue, NvmlPciLocation } from './types.ts';

/** A number from koffi's out value: numbers pass, bigints only when exactly representable. */
function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : null;
  return null;
}

/** The NUL-terminated UTF-8 text at the start of `buffer`; null when empty. */
export function cString(buffer: Buffer): string | null {
  const end = buffer.indexOf(0);
  const text = buffer.subarray(0, end < 0 ? buffer.length : end).toString('utf8');
  return text === '' ? null : text;
}

async function readString(
  calls: NvmlCalls,
  target: CallTarget,
  symbol: 'nvmlDeviceGetName' | 'nvmlDeviceGetUUID',
  handle: unknown,
  size: number,
  issues: NvmlIssue[],
): Promise<string | null> {
  const buffer = Buffer.alloc(size);
  return (await calls.invoke(target, symbol, [handle, buffer, size], issues)) ? cString(buffer) : null;
}

/** Reads name, UUID and PCI location of the device at `index` whose handle is `handle`. */
export async function readIdentity(calls: NvmlCalls, index: number, handle: unknown): Promise<NvmlDevice> {
  const issues: NvmlIssue[] = [];
  const target: CallTarget = { index, pciBusId: null };
  const pciOut: Record<string, unknown> = {};
  let pci: NvmlPciLocation | null = null;
  let pciBusId: string | null = null;
  if (await calls.invoke(target, 'nvmlDeviceGetPciInfo_v3', [handle, pciOut], issues)) {
    pciBusId = typeof pciOut.busId === 'string' && pciOut.busId !== '' ? pciOut.busId : null;
    pci = {
      domain: Number(pciOut.domain),
      bus: Number(pciOut.bus),
      device: Number(pciOut.device),
      pciDeviceId: Number(pciOut.pciDeviceId),
      pciSubSystemId: Number(pciOut.pciSubSystemId),
    };
  }
  const named = { index, pciBusId };
  const name = await readString(
    calls,
    named,
    'nvmlDeviceGetName',
    handle,
    NVML_DEVICE_NAME_V2_BUFFER_SIZE,
    issues,
  );
  const uuid = await readString(
    calls,
    named,
    'nvmlDeviceGetUUID',
    handle,
    NVML_DEVICE_UUID_V2_BUFFER_SIZE,
    issues,
  );
  return { index, handle, name, uuid, pciBusId, pci, issues };
}

/** Decodes the one-entry nvmlFieldValue_t buffer of the memory-temperature query. */
function fieldValue(buffer: Buffer): number | null {
  const at = FIELD_VALUE_LAYOUT.value;
  switch (buffer.readUInt32LE(FIELD_VALUE_LAYOUT.valueType)) {
    case NVML_VALUE_TYPE.DOUBLE:
      return toNumber(buffer.readDoubleLE(at));
    case NVML_VALUE_TYPE.UNSIGNED_INT:
      return buffer.readUInt32LE(at);
    case NVML_VALUE_TYPE.SIGNED_INT:
      return buffer.readInt32LE(at);
    case NVML_VALUE_TYPE.UNSIGNED_LONG:
    case NVML_VALUE_TYPE.UNSIGNED_LONG_LONG:
      return toNumber(buffer.readBigUInt64LE(at));
    case NVML_VALUE_TYPE.SIGNED_LONG_LONG:
      return toNumber(buffer.readBigInt64LE(at));
    case NVML_VALUE_TYPE.UNSIGNED_SHORT:
      return buffer.readUInt16LE(at);
    default:
      return null;
  }
}

/** Reads every gauge and counter of `device` once. Throws SourceError('status') if the GPU is lost. */
export async function readGauges(
  calls: NvmlCalls,
  device: NvmlDevice,
  signal: AbortSignal | undefined,
  pcieThroughput: boolean,
): Promise<NvmlDeviceReading> {
  const issues: NvmlIssue[] = [];
  const h = device.handle;
  const target: CallTarget = { index: device.index, pciBusId: device.pciBusId };
  const one = async (symbol: Parameters<NvmlCalls['invoke']>[1], args: unknown[], selector?: string) => {
    const out = [0];
    const ok = await calls.invoke(target, symbol, [h, ...args, out], issues, { selector, signal });
    return ok ? toNumber(out[0]) : null;
  };
  const two = async (symbol: Parameters<NvmlCalls['invoke']>[1]) => {
    const a = [0];
    const b = [0];
    const ok = await calls.invoke(target, symbol, [h, a, b], issues, { signal });
    return ok ? [toNumber(a[0]), toNumber(b[0])] : [null, null];
  };
  const struct = async (symbol: Parameters<NvmlCalls['invoke']>[1]) => {
    const out: Record<string, unknown> = {};
    return (await calls.invoke(target, symbol, [h, out], issues, { signal })) ? out : null;
  };

  const powerMw = await one('nvmlDeviceGetPowerUsage', []);
  const energyMj = await one('nvmlDeviceGetTotalEnergyConsumption', []);
  const tempGpuC = await one('nvmlDeviceGetTemperature', [NVML_TEMPERATURE_GPU], 'NVML_TEMPERATURE_GPU');
  const tempMemC = await readMemoryTemp(calls, target, h, issues, signal);
  const clockSmMhz = await one('nvmlDeviceGetClockInfo', [NVML_CLOCK.SM], 'NVML_CLOCK_SM');
  const clockMemMhz = await one('nvmlDeviceGetClockInfo', [NVML_CLOCK.MEM], 'NVML_CLOCK_MEM');
  const fanPct = await one('nvmlDeviceGetFanSpeed', []);
  const util = await struct('nvmlDeviceGetUtilizationRates');
  const memory = await struct('nvmlDeviceGetMemoryInfo');
  const powerLimitMw = await one('nvmlDeviceGetPowerManagementLimit', []);
  const [powerLimitMinMw, powerLimitMaxMw] = await two('nvmlDeviceGetPowerManagementLimitConstraints');
  const powerLimitDefaultMw = await one('nvmlDeviceGetPowerManagementDefaultLimit', []);
  const enforcedPowerLimitMw = await one('nvmlDeviceGetEnforcedPowerLimit', []);
  const pstateRaw = await one('nvmlDeviceGetPerformanceState', []);
  // Older drivers only export the previous name of the same call (same bitmask, same semantics).
  const clocksEventReasons = calls.has('nvmlDeviceGetCurrentClocksEventReasons')
    ? await one('nvmlDeviceGetCurrentClocksEventReasons', [])
    : await one('nvmlDeviceGetCurrentClocksThrottleReasons', []);
  const pcie = (counter: number, selector: string) =>
    pcieThroughput ? one('nvmlDeviceGetPcieThroughput', [counter], selector) : Promise.resolve(null);
  const pcieTxKbS = await pcie(NVML_PCIE_UTIL.TX_BYTES, 'NVML_PCIE_UTIL_TX_BYTES');
  const pcieRxKbS = await pcie(NVML_PCIE_UTIL.RX_BYTES, 'NVML_PCIE_UTIL_RX_BYTES');

  return {
    powerMw,
    energyMj,
    tempGpuC,
    tempMemC,
    clockSmMhz,
    clockMemMhz,
    fanPct,
    utilGpuPct: util ? toNumber(util.gpu) : null,
    utilMemPct: util ? toNumber(util.memory) : null,
    memUsedBytes: memory ? toNumber(memory.used) : null,
    memTotalBytes: memory ? toNumber(memory.total) : null,
    powerLimitMw,
    powerLimitMinMw,
    powerLimitMaxMw,
    powerLimitDefaultMw,
    enforcedPowerLimitMw,
    pstate: pstateRaw !== null && pstateRaw >= 0 && pstateRaw <= 15 ? pstateRaw : null,
    clocksEventReasons,
    pcieTxKbS,
    pcieRxKbS,
    issues,
  };
}

/**
 * Memory temperature through nvmlDeviceGetFieldValues(NVML_FI_DEV_MEMORY_TEMP): the call itself
 * succeeds and the per-field nvmlReturn says whether this board has the sensor (HBM parts do).
 */
async function readMemoryTemp(
  calls: NvmlCalls,
  target: CallTarget,
  handle: unknown,
  issues: NvmlIssue[],
  signal?: AbortSignal,
): Promise<number | null> {
  const buffer = Buffer.alloc(FIELD_VALUE_LAYOUT.size);
  buffer.writeUInt32LE(NVML_FI_DEV_MEMORY_TEMP, FIELD_VALUE_LAYOUT.fieldId);
  const selector = 'NVML_FI_DEV_MEMORY_TEMP';
  if (
    !(await calls.invoke(target, 'nvmlDeviceGetFieldValues', [handle, 1, buffer], issues, {
      selector,
      signal,
    }))
  )
    return null;
  const rc = buffer.readUInt32LE(FIELD_VALUE_LAYOUT.nvmlReturn);
  if (!calls.check(target, `nvmlDeviceGetFieldValues(${selector})`, rc, issues)) return null;
  return fieldValue(buffer);
}
