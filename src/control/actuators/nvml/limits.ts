// The limits of one GPU's set-points, read from the GPU itself: power-limit constraints and default,
// the supported clock tables, the fan count and range. A set-point the GPU or driver lacks is left out.

import type { DeviceControl, SetpointKind, SetpointLimits } from '../../../core/actuator.ts';
import type { ActuatorError } from '../../../core/errors.ts';
import type { NvmlDevice } from '../../../protocols/nvml/index.ts';
import type { NvmlControl, NvmlOutcome } from '../../../protocols/nvml/write/index.ts';
import { uniformStepMhz } from './clock-readback.ts';
import { isUnreachableCode, nvmlActuatorError } from './errors.ts';
import type { NvmlSetpoint } from './options.ts';

/** What describe learned about one GPU: its limits and what writes and read-backs need. */
export interface GpuControlInfo {
  readonly control: DeviceControl;
  /** Graphics clocks supported at the highest memory clock, MHz, ascending (empty if not offered). */
  readonly graphicsClocksMhz: readonly number[];
  /** Supported memory clocks, MHz, ascending (empty if not read). */
  readonly memClocksMhz: readonly number[];
  /** Number of fans (0 when the board has none or fan control is not offered). */
  readonly fanCount: number;
}

/** Where a GPU is, for error messages. */
export interface GpuRef {
  readonly rig: string;
  readonly name: string;
  readonly device: NvmlDevice;
}

/**
 * The value of `r`; null for a failure that only means "not available here" (unsupported, refused);
 * throws ActuatorError 'unreachable' when the GPU or the library is gone.
 */
function valueOrNull<T>(r: NvmlOutcome<T>, ref: GpuRef, what: string): T | null {
  if (r.ok) return r.value;
  if (isUnreachableCode(r.issue.code)) throw unreachableError(r, ref, what);
  return null;
}

function unreachableError(r: NvmlOutcome<unknown>, ref: GpuRef, what: string): ActuatorError {
  if (r.ok) throw new Error('unreachableError called on a success');
  return nvmlActuatorError(r.issue, `${what} of ${ref.name}`, { rig: ref.rig, device: ref.name });
}

async function powerLimits(nvml: NvmlControl, ref: GpuRef): Promise<SetpointLimits | null> {
  if (!nvml.has('nvmlDeviceSetPowerManagementLimit')) return null;
  const range = valueOrNull(await nvml.powerLimitConstraintsMw(ref.device), ref, 'power-limit range');
  if (range === null || range[0] > range[1]) return null;
  const def = valueOrNull(await nvml.powerLimitDefaultMw(ref.device), ref, 'default power limit');
  // 1 W steps: NVML takes mW, but whole watts are what nvidia-smi -pl and every driver accept.
  const base = { min: range[0] / 1000, max: range[1] / 1000, step: 1 };
  return def === null ? base : { ...base, default: def / 1000 };
}

async function clockTables(nvml: NvmlControl, ref: GpuRef, wantCore: boolean) {
  const mem = valueOrNull(await nvml.supportedMemoryClocksMhz(ref.device), ref, 'memory clock table');
  const memSorted = [...new Set(mem ?? [])].sort((a, b) => a - b);
  let graphics: number[] = [];
  if (wantCore && memSorted.length > 0) {
    const top = memSorted[memSorted.length - 1];
    const table = await nvml.supportedGraphicsClocksMhz(ref.device, top);
    graphics = [...new Set(valueOrNull(table, ref, 'graphics clock table') ?? [])].sort((a, b) => a - b);
  }
  return { mem: memSorted, graphics };
}

async function fanLimits(
  nvml: NvmlControl,
  ref: GpuRef,
): Promise<{ limits: SetpointLimits; count: number } | null> {
  const needed = [
    'nvmlDeviceSetFanSpeed_v2',
    'nvmlDeviceSetDefaultFanSpeed_v2',
    'nvmlDeviceGetFanControlPolicy_v2',
    'nvmlDeviceGetTargetFanSpeed',
  ] as const;
  if (!needed.every((s) => nvml.has(s))) return null;
  const count = valueOrNull(await nvml.fanCount(ref.device), ref, 'fan count');
  if (count === null || count === 0) return null;
  const range = valueOrNull(await nvml.fanSpeedRangePct(ref.device), ref, 'fan speed range');
  if (range === null || range[0] > range[1]) return null;
  return { limits: { min: range[0], max: range[1], step: 1, default: null }, count };
}

/**
 * Reads the limits of the `kinds` this GPU supports. Throws ActuatorError 'unreachable' when the GPU
 * is lost mid-way; any other failure only leaves that set-point out.
 */
export async function readGpuControl(
  nvml: NvmlControl,
  ref: GpuRef,
  kinds: readonly NvmlSetpoint[],
): Promise<GpuControlInfo> {
  const limits: Partial<Record<SetpointKind, SetpointLimits>> = {};
  if (kinds.includes('power_limit_w')) {
    const power = await powerLimits(nvml, ref);
    if (power) limits.power_limit_w = power;
  }
  const wantCore =
    kinds.includes('clock_core_max_mhz') &&
    nvml.has('nvmlDeviceSetGpuLockedClocks') &&
    nvml.has('nvmlDeviceResetGpuLockedClocks');
  const wantMem =
    kinds.includes('clock_mem_max_mhz') &&
    nvml.has('nvmlDeviceSetMemoryLockedClocks') &&
    nvml.has('nvmlDeviceResetMemoryLockedClocks');
  const tables = wantCore || wantMem ? await clockTables(nvml, ref, wantCore) : { mem: [], graphics: [] };
  const g = tables.graphics;
  if (wantCore && g.length > 0) {
    const step = uniformStepMhz(g);
    const range = { min: g[0], max: g[g.length - 1], default: null };
    limits.clock_core_max_mhz = step === undefined ? range : { ...range, step };
  }
  const m = tables.mem;
  // A single memory clock (HBM boards such as the H100) leaves nothing to lock.
  if (wantMem && m.length > 1) limits.clock_mem_max_mhz = { min: m[0], max: m[m.length - 1], default: null };
  const fan = kinds.includes('fan_pct') ? await fanLimits(nvml, ref) : null;
  if (fan) limits.fan_pct = fan.limits;
  const control: DeviceControl = {
    rig: ref.rig,
    device: ref.name,
    model: ref.device.name ?? undefined,
    limits,
  };
  return { control, graphicsClocksMhz: g, memClocksMhz: m, fanCount: fan?.count ?? 0 };
}
