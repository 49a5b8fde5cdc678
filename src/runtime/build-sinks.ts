// The sinks and HTTP API of one service run, built from a resolved rigtune.yaml: the embedded store
// always (it serves the API), then what the file enables. One builder for `rigtune run`, demo and replay.

import type { Logger } from 'pino';
import {
  type Api,
  type ConfiguredRig,
  type ControlApi,
  createApi,
  LatestReadings,
  summarizeHealth,
} from '../api/index.ts';
import type { Config } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import type { HistoryReader, Sink } from '../core/sink.ts';
import { create as createAudit } from '../sinks/audit/index.ts';
import { create as createEmbedded, type EmbeddedStore } from '../sinks/embedded/index.ts';
import { create as createParquet } from '../sinks/parquet/index.ts';
import { create as createPrometheus, type PrometheusSink } from '../sinks/prometheus/index.ts';
import { create as createValkey } from '../sinks/valkey/index.ts';
import type { RuntimeMetrics } from './runtime-metrics.ts';

/** The sinks of one service run and the read sides the API serves. */
export interface BuiltSinks {
  /** Every sink, the embedded store first. */
  readonly sinks: readonly Sink[];
  readonly store: EmbeddedStore;
  /** Each device's newest raw readings, for the dashboard (GET /api/fleet). */
  readonly readings: LatestReadings;
  /** The service's data directory (studies and backtests the dashboard lists). */
  readonly dataDir: string;
  /** The Prometheus sink; null when `sinks.prometheus.enabled` is false. */
  readonly prometheus: PrometheusSink | null;
  /**
   * Where the service records its own health: the Prometheus sink, handed to `Service` as
   * `deps.metrics`; undefined without /metrics (the service then records nothing).
   */
  readonly runtimeMetrics: RuntimeMetrics | undefined;
  /** The Parquet history; null when Parquet is off (history requests then get 503). */
  readonly history: HistoryReader | null;
  /** Closes every sink (flushing what they queued); for a start that failed before the service ran. */
  closeAll(): Promise<void>;
}

export interface SinkDeps {
  /** Wall clock: sinks time their flushes, retries and file rotation by it. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Environment for secrets in sink options (Valkey password). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Drops the config-only `enabled` key so the sink's own strict schema gets its options. */
function sinkOptions<T extends { enabled?: boolean }>(o: T): Omit<T, 'enabled'> {
  const { enabled: _enabled, ...rest } = o;
  return rest;
}

/**
 * Builds the sinks `config` enables: embedded store, Valkey, Prometheus, Parquet, audit log, in that
 * order. Waits for the Parquet sink to be ready (its temp-file recovery); if a sink cannot be built,
 * closes those already built and rethrows.
 */
export async function buildSinks(config: Config, deps: SinkDeps): Promise<BuiltSinks> {
  const { clock, logger, env } = deps;
  const store = createEmbedded({}, { clock });
  const readings = new LatestReadings();
  const sinks: Sink[] = [store, readings];
  const closeAll = async (): Promise<void> => {
    await Promise.allSettled(sinks.map((s) => s.close()));
  };
  let prometheus: PrometheusSink | null = null;
  let history: HistoryReader | null = null;
  try {
    if (config.sinks.valkey !== null)
      sinks.push(
        createValkey(config.sinks.valkey, { logger: logger.child({ component: 'sink.valkey' }), clock, env }),
      );
    if (config.sinks.prometheus.enabled) {
      prometheus = createPrometheus(sinkOptions(config.sinks.prometheus), { clock });
      sinks.push(prometheus);
    }
    if (config.sinks.parquet.enabled) {
      const parquet = createParquet(sinkOptions(config.sinks.parquet), {
        clock,
        logger: logger.child({ component: 'sink.parquet' }),
      });
      sinks.push(parquet);
      await parquet.ready();
      history = parquet.history();
    }
    if (config.sinks.audit.enabled)
      sinks.push(
        createAudit(sinkOptions(config.sinks.audit), {
          clock,
          logger: logger.child({ component: 'sink.audit' }),
        }),
      );
  } catch (err) {
    await closeAll();
    throw err;
  }
  return {
    sinks,
    store,
    readings,
    dataDir: config.dataDir,
    prometheus,
    runtimeMetrics: prometheus ?? undefined,
    history,
    closeAll,
  };
}

export interface ApiOptions {
  /** rigtune's version, shown by /healthz. */
  readonly version: string;
  /** The rigs the service is configured to observe (/api/rigs lists them before a first score). */
  readonly configured?: () => readonly ConfiguredRig[];
  /** The auto-tune controllers the control routes drive; absent = those routes answer 503. */
  readonly control?: ControlApi;
  /** The control API's bearer token now (a reload may change it); null = none, writes get 401. */
  readonly token?: () => string | null;
}

/** The HTTP API over `built` (/healthz reports every sink; /metrics the Prometheus sink), not listening. */
export function buildApi(built: BuiltSinks, o: ApiOptions): Api {
  const prom = built.prometheus;
  return createApi({
    state: built.store,
    // Active advice and the advice feed of /api/stream come from the store the engine's records reach.
    advice: (rig) => built.store.activeAdvice(rig),
    subscribeControl: (listener) => built.store.subscribeControl(listener),
    configured: o.configured,
    control: o.control,
    token: o.token,
    history: built.history,
    readings: built.readings,
    dataDir: built.dataDir,
    metrics: prom !== null ? () => prom.render() : async () => ({ contentType: 'text/plain', body: '' }),
    health: () => {
      const components: Record<string, { ok: boolean }> = { runtime: { ok: true } };
      for (const s of built.sinks) components[`sink.${s.name}`] = s.health();
      return summarizeHealth(components, ['runtime', 'sink.embedded']);
    },
    logger: false,
    version: o.version,
  });
}
