// Public face of sinks/prometheus: the exporter behind GET /metrics (per-device gauges of the latest
// scores and snapshots, collector health, process metrics) and the API the runtime records health with.

import { RigtuneError } from '../../core/errors.ts';
import { type PrometheusOptionsInput, PrometheusOptionsSchema } from './options.ts';
import { PrometheusSink, type PrometheusSinkDeps } from './sink.ts';

export const kind = 'prometheus';
export const optionsSchema = PrometheusOptionsSchema;
export { MAX_LABEL_VALUES } from './collector.ts';
export { deviceLabels, escapeLabelValue } from './exposition.ts';
export { DEVICE_FAMILIES, type DeviceRow, type Family } from './families.ts';
export type { PrometheusOptions, PrometheusOptionsInput } from './options.ts';
export { type MetricsPage, PrometheusSink, type PrometheusSinkDeps } from './sink.ts';

/** Validates `options` (RT_CONFIG_INVALID naming the option) and builds the sink. */
export function create(options: PrometheusOptionsInput, deps: PrometheusSinkDeps): PrometheusSink {
  const result = PrometheusOptionsSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.map(String).join('.');
    const field = path === '' ? kind : `${kind}.${path}`;
    throw new RigtuneError('RT_CONFIG_INVALID', `${field}: ${issue.message}`, { field });
  }
  return new PrometheusSink(result.data, deps);
}
