// The NVML calls of the write side with their nvml.h signatures: set calls, resets, and the getters for
// device limits and read-back. Apart from ../bindings.ts, so the read-only client never binds a setter.

import type { LibraryHandle } from 'koffi';
import type { NvmlFunction } from '../bindings.ts';

type Koffi = typeof import('koffi').default;

/** The calls that change a GPU. Only the NVML actuator binds these (a test pins the list). */
export const NVML_SET_SYMBOLS = [
  'nvmlDeviceSetPowerManagementLimit',
  'nvmlDeviceSetGpuLockedClocks',
  'nvmlDeviceResetGpuLockedClocks',
  'nvmlDeviceSetMemoryLockedClocks',
  'nvmlDeviceResetMemoryLockedClocks',
  'nvmlDeviceSetFanSpeed_v2',
  'nvmlDeviceSetDefaultFanSpeed_v2',
] as const;

/** Getters for device limits and read-back (bound again here so the write side stands alone). */
export const NVML_CONTROL_GETTERS = [
  'nvmlDeviceGetPowerManagementLimit',
  'nvmlDeviceGetPowerManagementLimitConstraints',
  'nvmlDeviceGetPowerManagementDefaultLimit',
  'nvmlDeviceGetClockInfo',
  'nvmlDeviceGetSupportedMemoryClocks',
  'nvmlDeviceGetSupportedGraphicsClocks',
  'nvmlDeviceGetNumFans',
  'nvmlDeviceGetMinMaxFanSpeed',
  'nvmlDeviceGetFanControlPolicy_v2',
  'nvmlDeviceGetTargetFanSpeed',
  'nvmlDeviceGetFanSpeed_v2',
] as const;

export type NvmlSetSymbol = (typeof NVML_SET_SYMBOLS)[number];
export type NvmlControlGetter = (typeof NVML_CONTROL_GETTERS)[number];
export type NvmlControlSymbol = NvmlSetSymbol | NvmlControlGetter;

/** The bound functions; null where the library does not export the symbol (older drivers). */
export type NvmlControlFunctions = {
  readonly [K in NvmlControlSymbol | 'nvmlErrorString']: NvmlFunction | null;
};

/**
 * The koffi signature (result, arguments) of each symbol, from nvml.h. The device is `void *`: the
 * handles come from the read client's enumeration of the same library.
 */
function signatures(koffi: Koffi): Record<NvmlControlSymbol | 'nvmlErrorString', [string, unknown[]]> {
  const device = 'void *';
  const uint = 'unsigned int';
  const outUint = koffi.out(koffi.pointer('unsigned int'));
  const inoutUint = koffi.inout(koffi.pointer('unsigned int'));
  const clocks = 'unsigned int *'; // a Uint32Array the callee fills
  return {
    nvmlErrorString: ['const char *', ['int']],
    nvmlDeviceSetPowerManagementLimit: ['int', [device, uint]],
    nvmlDeviceSetGpuLockedClocks: ['int', [device, uint, uint]],
    nvmlDeviceResetGpuLockedClocks: ['int', [device]],
    nvmlDeviceSetMemoryLockedClocks: ['int', [device, uint, uint]],
    nvmlDeviceResetMemoryLockedClocks: ['int', [device]],
    nvmlDeviceSetFanSpeed_v2: ['int', [device, uint, uint]],
    nvmlDeviceSetDefaultFanSpeed_v2: ['int', [device, uint]],
    nvmlDeviceGetPowerManagementLimit: ['int', [device, outUint]],
    nvmlDeviceGetPowerManagementLimitConstraints: ['int', [device, outUint, outUint]],
    nvmlDeviceGetPowerManagementDefaultLimit: ['int', [device, outUint]],
    nvmlDeviceGetClockInfo: ['int', [device, 'int', outUint]],
    nvmlDeviceGetSupportedMemoryClocks: ['int', [device, inoutUint, clocks]],
    nvmlDeviceGetSupportedGraphicsClocks: ['int', [device, uint, inoutUint, clocks]],
    nvmlDeviceGetNumFans: ['int', [device, outUint]],
    nvmlDeviceGetMinMaxFanSpeed: ['int', [device, outUint, outUint]],
    // nvmlFanControlPolicy_t is a typedef of unsigned int.
    nvmlDeviceGetFanControlPolicy_v2: ['int', [device, uint, outUint]],
    nvmlDeviceGetTargetFanSpeed: ['int', [device, uint, outUint]],
    nvmlDeviceGetFanSpeed_v2: ['int', [device, uint, outUint]],
  };
}

/** Binds every control symbol `lib` exports; absent ones are null. */
export function bindControlFunctions(koffi: Koffi, lib: LibraryHandle): NvmlControlFunctions {
  const table = signatures(koffi);
  // koffi's overloaded `func` typings do not export TypeSpec; the table above is exercised by the tests.
  const declare = lib.func.bind(lib) as unknown as (
    name: string,
    result: string,
    args: unknown[],
  ) => NvmlFunction;
  const bound: Partial<Record<keyof NvmlControlFunctions, NvmlFunction | null>> = {};
  for (const name of ['nvmlErrorString', ...NVML_SET_SYMBOLS, ...NVML_CONTROL_GETTERS] as const) {
    const [result, args] = table[name];
    try {
      bound[name] = declare(name, result, args);
    } catch (err) {
      // koffi throws "Cannot find function" for a symbol this driver does not export: the set-point it
      // serves is unsupported (the actuator says so). Anything else is a binding bug.
      if (!(err instanceof Error) || !err.message.includes('Cannot find function')) throw err;
      bound[name] = null;
    }
  }
  return bound as NvmlControlFunctions;
}
