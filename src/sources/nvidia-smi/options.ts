// Options of the nvidia-smi source (strict: unknown keys are errors). Times in ms; the time zone is
// the one nvidia-smi's zone-less timestamps are read in.

import { z } from 'zod';

/** `UTC`, `local`, `±HH:MM` / `±HHMM`, or an IANA zone name this Node knows. */
function isZone(zone: string): boolean {
  if (zone === 'UTC' || zone === 'local' || /^[+-]\d{2}:?\d{2}$/.test(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone !== '';
  } catch {
    return false; // RangeError: unknown zone
  }
}

/** Validated options of the nvidia-smi source. */
export const NvidiaSmiOptionsSchema = z.strictObject({
  command: z
    .string()
    .min(1)
    .default('nvidia-smi')
    .describe('Executable to run (PATH lookup unless a path). Default nvidia-smi.'),
  interval_ms: z
    .number()
    .int()
    .min(50)
    .default(1000)
    .describe('Sampling period given to nvidia-smi as -lms, and the poll interval hint, ms. Default 1000.'),
  gpus: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('GPUs to query (nvidia-smi -i: indexes, UUIDs or PCI bus ids). Default: all.'),
  timezone: z
    .string()
    .refine(isZone, 'expected UTC, local, ±HH:MM or an IANA zone name')
    .default('UTC')
    .describe(
      'Zone of the GPU host clock, for the zone-less timestamp column: UTC, local, ±HH:MM or an IANA name. Default UTC.',
    ),
  throttle_field: z
    .enum(['clocks_event_reasons.active', 'clocks_throttle_reasons.active'])
    .default('clocks_event_reasons.active')
    .describe(
      'Name of the clock-event bitmask field; older drivers only know clocks_throttle_reasons.active.',
    ),
  emit: z
    .enum(['latest', 'all'])
    .default('latest')
    .describe(
      'What a poll emits per GPU: the newest sample since the last poll, or all of them. Default latest.',
    ),
  max_backlog: z
    .number()
    .int()
    .min(1)
    .default(64)
    .describe(
      'Samples kept per GPU between polls (emit: all); older ones are dropped and counted. Default 64.',
    ),
  startup_timeout_ms: z
    .number()
    .int()
    .min(10)
    .default(5000)
    .describe(
      'How long the first poll waits for the first sample after starting nvidia-smi, ms. Default 5000.',
    ),
  stall_timeout_ms: z
    .number()
    .int()
    .min(10)
    .optional()
    .describe(
      'No new sample for this long: nvidia-smi is restarted and the poll fails (timeout), ms. Default max(5000, 5 × interval_ms).',
    ),
  kill_grace_ms: z
    .number()
    .int()
    .min(0)
    .default(1000)
    .describe('Time between SIGTERM and SIGKILL when stopping nvidia-smi, ms. Default 1000.'),
});

export type NvidiaSmiOptions = z.output<typeof NvidiaSmiOptionsSchema>;
export type NvidiaSmiOptionsInput = z.input<typeof NvidiaSmiOptionsSchema>;
