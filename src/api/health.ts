// What /healthz reports: each component's health and one overall status. A critical component that is
// not ok makes the service "down" (503, so a load balancer or systemd watchdog acts); others "degraded".

import type { SinkHealth } from '../core/sink.ts';

/** Overall status: ok (200), degraded (200, something is spooling or retrying), down (503). */
export const HEALTH_STATUSES = ['ok', 'degraded', 'down'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/**
 * Health of one component: a sink's SinkHealth, a source's counters, the tick loop's state. Only `ok`
 * is read; everything else is shown as-is.
 */
export type ComponentHealth = SinkHealth | { readonly ok: boolean; readonly [key: string]: unknown };

/** What the runtime hands the API for /healthz. */
export interface HealthReport {
  readonly status: HealthStatus;
  /** By component name, e.g. `sink.valkey`, `sink.parquet`, `source.rig-01`, `runtime`. */
  readonly components: Readonly<Record<string, ComponentHealth>>;
}

/**
 * The report for `components`: `down` when a component named in `critical` is missing or not ok
 * (without it the API would serve stale or no data: the state store, the tick loop), `degraded` when
 * any other component is not ok (a sink spooling during an outage, a source retrying), else `ok`.
 */
export function summarizeHealth(
  components: Readonly<Record<string, ComponentHealth>>,
  critical: readonly string[],
): HealthReport {
  let status: HealthStatus = 'ok';
  for (const name of critical) if (components[name]?.ok !== true) status = 'down';
  if (status === 'ok') for (const c of Object.values(components)) if (!c.ok) status = 'degraded';
  return { status, components };
}

/** HTTP status of /healthz for `status`. */
export function healthHttpStatus(status: HealthStatus): number {
  return status === 'down' ? 503 : 200;
}
