// What the runtime hands the API: read-only views of the state and history, the metrics and health
// renderers, a logger. The API owns no data; it only reads these.

import type { FastifyBaseLogger } from 'fastify';
import type { HistoryReader, StateReader } from '../core/sink.ts';
import type { HealthReport } from './health.ts';

/** A rendered Prometheus exposition (prom-client's `register.metrics()` and `contentType`). */
export interface MetricsExposition {
  /** e.g. `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
  readonly body: string;
}

export interface ApiDeps {
  /** Latest rig states, control records and the update feed (the embedded store or Valkey mirror). */
  readonly state: StateReader;
  /** The Parquet history; null when no history is configured (history requests then get 503). */
  readonly history: HistoryReader | null;
  /** Renders /metrics. */
  readonly metrics: () => Promise<MetricsExposition>;
  /** The /healthz report (see `summarizeHealth`). */
  readonly health: () => HealthReport;
  /** The runtime's pino logger (the API logs under `component: 'api'`), or false for none. */
  readonly logger: FastifyBaseLogger | false;
  /** Bearer token for the control endpoints (control issue); unused by the read-only routes. */
  readonly token?: string;
  /** rigtune's version, shown by /healthz. */
  readonly version: string;
  /** Current time, epoch ms (history defaults); default Date.now. */
  readonly now?: () => number;
  /** Interval between SSE heartbeat comments, ms; default 15,000. */
  readonly heartbeatMs?: number;
}
