// Options of the NVML actuator driver (strict: unknown keys are errors): which library, which GPUs it
// may change, and which set-points it offers. Nothing here is a value written to a GPU.

import { z } from 'zod';

/** The set-points this driver can change on an NVIDIA GPU. */
export const NVML_SETPOINTS = [
  'power_limit_w',
  'clock_core_max_mhz',
  'clock_mem_max_mhz',
  'fan_pct',
] as const;

export type NvmlSetpoint = (typeof NVML_SETPOINTS)[number];

/** Validated options of the nvml actuator. */
export const NvmlActuatorOptionsSchema = z.strictObject({
  library_path: z
    .string()
    .min(1)
    .optional()
    .describe(
      'File name or path of the NVML library. Default: $RIGTUNE_NVML_LIB when set, else libnvidia-ml.so.1 found by the dynamic loader.',
    ),
  devices: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe(
      'GPUs this driver may change, as PCI bus ids (any spelling: 00000000:01:00.0, 0000:01:00.0, 01:00.0) or UUIDs. Default: every GPU.',
    ),
  setpoints: z
    .array(z.enum(NVML_SETPOINTS))
    .min(1)
    .default([...NVML_SETPOINTS])
    .describe(
      'Set-points offered to the control layer (a GPU also needs the driver and hardware support for each). Default: all four.',
    ),
});

export type NvmlActuatorOptions = z.output<typeof NvmlActuatorOptionsSchema>;
export type NvmlActuatorOptionsInput = z.input<typeof NvmlActuatorOptionsSchema>;
