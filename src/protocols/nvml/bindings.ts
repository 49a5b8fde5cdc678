// The koffi declarations of the NVML calls rigtune makes: C signatures from nvml.h, struct layouts,
// and loading with every optional symbol resolved or null (old drivers lack some). Read-only calls.

import type { LibraryHandle, TypeObject } from 'koffi';

type Koffi = typeof import('koffi').default;

/** A bound NVML function: call it synchronously or through `.async` on koffi's worker threads. */
export interface NvmlFunction {
  (...args: unknown[]): unknown;
  async: (...args: unknown[]) => void;
}

/**
 * `nvmlFieldValue_t` as rigtune decodes it from a Buffer (x86-64/arm64 Linux, little-endian):
 * fieldId u32 @0, scopeId u32 @4, timestamp i64 @8, latencyUsec i64 @16, valueType u32 @24,
 * nvmlReturn u32 @28, value (8-byte union) @32; 40 bytes. The fake library asserts the same offsets.
 */
export const FIELD_VALUE_LAYOUT = {
  size: 40,
  fieldId: 0,
  scopeId: 4,
  valueType: 24,
  nvmlReturn: 28,
  value: 32,
} as const;

/** The symbols rigtune binds (getters only), with whether NVML is unusable without them. */
export const NVML_SYMBOLS = {
  nvmlInit_v2: true,
  nvmlShutdown: true,
  nvmlDeviceGetCount_v2: true,
  nvmlDeviceGetHandleByIndex_v2: true,
  nvmlErrorString: false,
  nvmlSystemGetDriverVersion: false,
  nvmlSystemGetNVMLVersion: false,
  nvmlDeviceGetName: false,
  nvmlDeviceGetUUID: false,
  nvmlDeviceGetPciInfo_v3: false,
  nvmlDeviceGetPowerUsage: false,
  nvmlDeviceGetTotalEnergyConsumption: false,
  nvmlDeviceGetTemperature: false,
  nvmlDeviceGetFieldValues: false,
  nvmlDeviceGetClockInfo: false,
  nvmlDeviceGetFanSpeed: false,
  nvmlDeviceGetUtilizationRates: false,
  nvmlDeviceGetMemoryInfo: false,
  nvmlDeviceGetPowerManagementLimit: false,
  nvmlDeviceGetPowerManagementLimitConstraints: false,
  nvmlDeviceGetPowerManagementDefaultLimit: false,
  nvmlDeviceGetEnforcedPowerLimit: false,
  nvmlDeviceGetPerformanceState: false,
  nvmlDeviceGetCurrentClocksEventReasons: false,
  nvmlDeviceGetCurrentClocksThrottleReasons: false,
  nvmlDeviceGetPcieThroughput: false,
} as const;

export type NvmlSymbol = keyof typeof NVML_SYMBOLS;

/** The bound functions; null where the library does not export the symbol. */
export type NvmlFunctions = { readonly [K in NvmlSymbol]: NvmlFunction | null };

/** koffi type objects of the NVML structs (sizes checked by the tests: 68, 24 and 8 bytes). */
export interface NvmlTypes {
  readonly pciInfo: TypeObject;
  readonly memory: TypeObject;
  readonly utilization: TypeObject;
}

/** Declares the struct types (anonymous, so two loaders in one process do not clash on names). */
export function declareTypes(koffi: Koffi): NvmlTypes {
  return {
    // nvmlPciInfo_t as filled by nvmlDeviceGetPciInfo_v3 (busIdLegacy first; the v1 layout differed).
    pciInfo: koffi.struct({
      busIdLegacy: koffi.array('char', 16),
      domain: 'unsigned int',
      bus: 'unsigned int',
      device: 'unsigned int',
      pciDeviceId: 'unsigned int',
      pciSubSystemId: 'unsigned int',
      busId: koffi.array('char', 32),
    }),
    // nvmlMemory_t (v1): bytes.
    memory: koffi.struct({
      total: 'unsigned long long',
      free: 'unsigned long long',
      used: 'unsigned long long',
    }),
    // nvmlUtilization_t: percent over the driver's last sample period.
    utilization: koffi.struct({ gpu: 'unsigned int', memory: 'unsigned int' }),
  };
}

/** The koffi signature (result, arguments) of each symbol, from nvml.h. */
function signatures(koffi: Koffi, t: NvmlTypes): Record<NvmlSymbol, [string, unknown[]]> {
  const device = koffi.pointer(koffi.opaque());
  const outUint = koffi.out(koffi.pointer('unsigned int'));
  const outUll = koffi.out(koffi.pointer('unsigned long long'));
  const bytes = koffi.pointer('uint8_t'); // a Buffer the callee fills (strings, field values)
  return {
    nvmlInit_v2: ['int', []],
    nvmlShutdown: ['int', []],
    nvmlErrorString: ['const char *', ['int']],
    nvmlSystemGetDriverVersion: ['int', [bytes, 'unsigned int']],
    nvmlSystemGetNVMLVersion: ['int', [bytes, 'unsigned int']],
    nvmlDeviceGetCount_v2: ['int', [outUint]],
    nvmlDeviceGetHandleByIndex_v2: ['int', ['unsigned int', koffi.out(koffi.pointer(device))]],
    nvmlDeviceGetName: ['int', [device, bytes, 'unsigned int']],
    nvmlDeviceGetUUID: ['int', [device, bytes, 'unsigned int']],
    nvmlDeviceGetPciInfo_v3: ['int', [device, koffi.out(koffi.pointer(t.pciInfo))]],
    nvmlDeviceGetPowerUsage: ['int', [device, outUint]],
    nvmlDeviceGetTotalEnergyConsumption: ['int', [device, outUll]],
    nvmlDeviceGetTemperature: ['int', [device, 'int', outUint]],
    nvmlDeviceGetFieldValues: ['int', [device, 'int', bytes]],
    nvmlDeviceGetClockInfo: ['int', [device, 'int', outUint]],
    nvmlDeviceGetFanSpeed: ['int', [device, outUint]],
    nvmlDeviceGetUtilizationRates: ['int', [device, koffi.out(koffi.pointer(t.utilization))]],
    nvmlDeviceGetMemoryInfo: ['int', [device, koffi.out(koffi.pointer(t.memory))]],
    nvmlDeviceGetPowerManagementLimit: ['int', [device, outUint]],
    nvmlDeviceGetPowerManagementLimitConstraints: ['int', [device, outUint, outUint]],
    nvmlDeviceGetPowerManagementDefaultLimit: ['int', [device, outUint]],
    nvmlDeviceGetEnforcedPowerLimit: ['int', [device, outUint]],
    nvmlDeviceGetPerformanceState: ['int', [device, koffi.out(koffi.pointer('int'))]],
    nvmlDeviceGetCurrentClocksEventReasons: ['int', [device, outUll]],
    nvmlDeviceGetCurrentClocksThrottleReasons: ['int', [device, outUll]],
    nvmlDeviceGetPcieThroughput: ['int', [device, 'int', outUint]],
  };
}

/** Binds every symbol of NVML_SYMBOLS that `lib` exports; absent ones are null. */
export function bindFunctions(koffi: Koffi, lib: LibraryHandle, types: NvmlTypes): NvmlFunctions {
  const table = signatures(koffi, types);
  // koffi's overloaded `func` typings do not export TypeSpec; the table above is checked by the tests.
  const declare = lib.func.bind(lib) as unknown as (
    name: string,
    result: string,
    args: unknown[],
  ) => NvmlFunction;
  const bound: Partial<Record<NvmlSymbol, NvmlFunction | null>> = {};
  for (const name of Object.keys(NVML_SYMBOLS) as NvmlSymbol[]) {
    const [result, args] = table[name];
    try {
      bound[name] = declare(name, result, args);
    } catch (err) {
      // koffi throws "Cannot find function" for a symbol this driver does not export: the field it
      // serves stays null (required symbols are checked by the caller). Anything else is our bug.
      if (!(err instanceof Error) || !err.message.includes('Cannot find function')) throw err;
      bound[name] = null;
    }
  }
  return bound as NvmlFunctions;
}
