// NVML constants rigtune uses, with the values of NVIDIA's nvml.h (return codes, sensor, clock and
// PCIe counter enums, the memory-temperature field id, clock-event-reason bits). No I/O here.

/** nvmlReturn_t codes (nvml.h `nvmlReturn_enum`). */
export const NVML_RETURN = {
  SUCCESS: 0,
  ERROR_UNINITIALIZED: 1,
  ERROR_INVALID_ARGUMENT: 2,
  ERROR_NOT_SUPPORTED: 3,
  ERROR_NO_PERMISSION: 4,
  ERROR_ALREADY_INITIALIZED: 5,
  ERROR_NOT_FOUND: 6,
  ERROR_INSUFFICIENT_SIZE: 7,
  ERROR_INSUFFICIENT_POWER: 8,
  ERROR_DRIVER_NOT_LOADED: 9,
  ERROR_TIMEOUT: 10,
  ERROR_IRQ_ISSUE: 11,
  ERROR_LIBRARY_NOT_FOUND: 12,
  ERROR_FUNCTION_NOT_FOUND: 13,
  ERROR_CORRUPTED_INFOROM: 14,
  ERROR_GPU_IS_LOST: 15,
  ERROR_RESET_REQUIRED: 16,
  ERROR_OPERATING_SYSTEM: 17,
  ERROR_LIB_RM_VERSION_MISMATCH: 18,
  ERROR_IN_USE: 19,
  ERROR_MEMORY: 20,
  ERROR_NO_DATA: 21,
  ERROR_VGPU_ECC_NOT_SUPPORTED: 22,
  ERROR_INSUFFICIENT_RESOURCES: 23,
  ERROR_FREQ_NOT_SUPPORTED: 24,
  ERROR_ARGUMENT_VERSION_MISMATCH: 25,
  ERROR_DEPRECATED: 26,
  ERROR_NOT_READY: 27,
  ERROR_GPU_NOT_FOUND: 28,
  ERROR_INVALID_STATE: 29,
  ERROR_UNKNOWN: 999,
} as const;

const NAMES = new Map<number, string>(
  Object.entries(NVML_RETURN).map(([name, code]) => [code, `NVML_${name}`]),
);

/** The symbolic name of an NVML return code, e.g. `NVML_ERROR_NOT_SUPPORTED`; `NVML_RETURN_<n>` if unknown. */
export function nvmlReturnName(code: number): string {
  return NAMES.get(code) ?? `NVML_RETURN_${code}`;
}

/**
 * Codes after which the device (or the library) cannot be read at all: the read fails with
 * SourceError('status') instead of a null field. GPU_IS_LOST is the "fallen off the bus" case.
 */
export const FATAL_RETURNS: ReadonlySet<number> = new Set([
  NVML_RETURN.ERROR_UNINITIALIZED,
  NVML_RETURN.ERROR_DRIVER_NOT_LOADED,
  NVML_RETURN.ERROR_GPU_IS_LOST,
  NVML_RETURN.ERROR_RESET_REQUIRED,
  NVML_RETURN.ERROR_LIB_RM_VERSION_MISMATCH,
]);

/** `nvmlTemperatureSensors_t`: the GPU die sensor. */
export const NVML_TEMPERATURE_GPU = 0;

/** `nvmlClockType_t`. */
export const NVML_CLOCK = { GRAPHICS: 0, SM: 1, MEM: 2, VIDEO: 3 } as const;

/** `nvmlPcieUtilCounter_t` (values in KB/s, 1 KB granularity). */
export const NVML_PCIE_UTIL = { TX_BYTES: 0, RX_BYTES: 1 } as const;

/** `NVML_FI_DEV_MEMORY_TEMP`: memory (HBM) temperature through nvmlDeviceGetFieldValues, °C. */
export const NVML_FI_DEV_MEMORY_TEMP = 82;

/** `nvmlValueType_t`: which member of `nvmlValue_t` a field value fills. */
export const NVML_VALUE_TYPE = {
  DOUBLE: 0,
  UNSIGNED_INT: 1,
  UNSIGNED_LONG: 2,
  UNSIGNED_LONG_LONG: 3,
  SIGNED_LONG_LONG: 4,
  SIGNED_INT: 5,
  UNSIGNED_SHORT: 6,
} as const;

/** `nvmlPstates_t`: P0..P15 are 0..15; 32 means unknown. */
export const NVML_PSTATE_UNKNOWN = 32;

/** Clock-event (formerly throttle) reason bits of `nvmlDeviceGetCurrentClocksEventReasons`. */
export const CLOCK_EVENT_REASONS = {
  GPU_IDLE: 0x1,
  APPLICATIONS_CLOCKS_SETTING: 0x2,
  SW_POWER_CAP: 0x4,
  HW_SLOWDOWN: 0x8,
  SYNC_BOOST: 0x10,
  SW_THERMAL_SLOWDOWN: 0x20,
  HW_THERMAL_SLOWDOWN: 0x40,
  HW_POWER_BRAKE_SLOWDOWN: 0x80,
  DISPLAY_CLOCK_SETTING: 0x100,
} as const;

/** Buffer sizes guaranteed large enough by nvml.h (the v2 name and UUID sizes). */
export const NVML_DEVICE_NAME_V2_BUFFER_SIZE = 96;
export const NVML_DEVICE_UUID_V2_BUFFER_SIZE = 96;
/** nvml.h's NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE and NVML_SYSTEM_NVML_VERSION_BUFFER_SIZE (80 each). */
export const NVML_SYSTEM_VERSION_BUFFER_SIZE = 80;

/** The library file loaded when nothing else is configured (the driver installs it on Linux). */
export const DEFAULT_NVML_LIBRARY = 'libnvidia-ml.so.1';
