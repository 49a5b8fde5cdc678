// Options of the nvml source (strict: unknown keys are errors). The library path may also come from
// the RIGTUNE_NVML_LIB environment variable, which tests use to point at the fake library.

import { z } from 'zod';

/** Validated options of the nvml source. */
export const NvmlOptionsSchema = z.strictObject({
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
      'GPUs to read, as PCI bus ids (any spelling: 00000000:01:00.0, 0000:01:00.0, 01:00.0) or UUIDs. Default: every GPU.',
    ),
  interval_ms: z
    .number()
    .int()
    .min(100)
    .default(1000)
    .describe(
      'Poll interval hint, ms. Default 1000 (NVML power, clocks and throttle reasons bear 5-10 Hz bursts).',
    ),
  pcie_throughput: z
    .boolean()
    .default(true)
    .describe(
      'Read PCIe TX/RX throughput; each of the two calls samples for 20 ms inside the driver. Default true.',
    ),
});

export type NvmlOptions = z.output<typeof NvmlOptionsSchema>;
export type NvmlOptionsInput = z.input<typeof NvmlOptionsSchema>;
