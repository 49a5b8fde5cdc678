// Options of the Prometheus exporter sink (strict: unknown keys are errors). Times in ms; the device
// bound caps the number of series (about 36 per device) whatever the fleet sends.

import { z } from 'zod';

/** Validated options of the Prometheus sink. */
export const PrometheusOptionsSchema = z.strictObject({
  stale_after_ms: z
    .number()
    .int()
    .min(1000)
    .default(300_000)
    .describe('A device not written for this long has its series removed from /metrics, ms. Default 300000.'),
  max_devices: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(20_000)
    .describe('Most devices with series; a new device beyond it is refused and counted. Default 20000.'),
  process_metrics: z
    .boolean()
    .default(true)
    .describe('Also export the standard process_* and nodejs_* metrics of prom-client. Default true.'),
  render_slice_ms: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .describe(
      'Longest synchronous slice of a /metrics render before yielding to the event loop, ms. Default 10.',
    ),
});

export type PrometheusOptions = z.output<typeof PrometheusOptionsSchema>;
export type PrometheusOptionsInput = z.input<typeof PrometheusOptionsSchema>;
