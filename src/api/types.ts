// What the runtime hands the API: read-only views of the state and history, the metrics and health
// renderers, a logger. The API owns no data; it only reads these.

import type { FastifyBaseLogger } from 'fastify';
import type { ControlRecord, HistoryReader, StateReader } from '../core/sink.ts';
import type { ControlApi } from './control-types.ts';
import type { HealthReport } from './health.ts';
import type { ReadingsView } from './readings.ts';

/** A rendered Prometheus exposition (prom-client's `register.metrics()` and `contentType`). */
export interface MetricsExposition {
  /** e.g. `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
  readonly body: string;
}

/** `waiting`: not polled to an end yet; `up`: its last poll succeeded; `down`: its last poll failed. */
export type SourceStatus = 'waiting' | 'up' | 'down';

/** One source of a configured rig, as the runtime runs it. */
export interface ConfiguredSource {
  /** The ingest source id, e.g. `rig-01/cgminer`. */
  readonly id: string;
  readonly kind: string;
  readonly status: SourceStatus;
}

/** A rig the runtime is configured to observe, scored yet or not. */
export interface ConfiguredRig {
  readonly rig: string;
  readonly sources: readonly ConfiguredSource[];
}

export interface ApiDeps {
  /** Latest rig states, control records and the update feed (the embedded store or Valkey mirror). */
  readonly state: StateReader;
  /**
   * The rigs the runtime is configured to observe (changes on a reload); /api/rigs lists them before
   * their first score. Default: only the rigs `state` knows.
   */
  readonly configured?: () => readonly ConfiguredRig[];
  /**
   * Active advice of a rig: the newest record of each advice episode (records sharing `payload.id`)
   * not cleared, oldest raised first (the embedded store's `activeAdvice`). Default: folded from
   * `state.control(rig)`, which only sees the store's bounded history.
   */
  readonly advice?: (rig: string) => readonly ControlRecord[];
  /**
   * Calls `listener` with every advice and action record published from now on; returns the
   * unsubscribe function (the embedded store's `subscribeControl`). Without it /api/stream carries
   * states only.
   */
  readonly subscribeControl?: (listener: (record: ControlRecord) => void) => () => void;
  /** The Parquet history; null when no history is configured (history requests then get 503). */
  readonly history: HistoryReader | null;
  /** Renders /metrics. */
  readonly metrics: () => Promise<MetricsExposition>;
  /** The /healthz report (see `summarizeHealth`). */
  readonly health: () => HealthReport;
  /** The runtime's pino logger (the API logs under `component: 'api'`), or false for none. */
  readonly logger: FastifyBaseLogger | false;
  /**
   * The auto-tune controllers the control routes drive (modes, manual set-points, actions, kill
   * switch); absent = those routes answer 503 RT_API_UNAVAILABLE.
   */
  readonly control?: ControlApi;
  /**
   * The bearer token the control routes' writes require, read on every request (a reload may change
   * it); absent or null = no token configured: every write is refused with 401.
   */
  readonly token?: () => string | null;
  /** rigtune's version, shown by /healthz. */
  readonly version: string;
  /** Current time, epoch ms (history defaults); default Date.now. */
  readonly now?: () => number;
  /** Interval between SSE heartbeat comments, ms; default 15,000. */
  readonly heartbeatMs?: number;
  /**
   * Each device's newest raw readings (power, temperatures, hashrate, fan) for GET /api/fleet and the
   * dashboard (a `LatestReadings` sink); absent = those fields are null.
   */
  readonly readings?: ReadingsView;
  /**
   * The service's data directory (`data_dir`): GET /api/studies lists `<dataDir>/studies/*` and
   * `<dataDir>/backtests/*` and serves their reports; absent or null = no studies.
   */
  readonly dataDir?: string | null;
}
