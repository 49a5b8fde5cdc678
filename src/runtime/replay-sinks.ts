// The sinks and HTTP API of a replay, built from a resolved rigtune.yaml the way `rigtune run` builds
// them (from-config.ts): the embedded store always (it serves the API), then what the file enables.

import type { Logger } from 'pino';
import { type Api, createApi, summarizeHealth } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import type { HistoryReader, Sink } from '../core/sink.ts';
import { create as createAudit } from '../sinks/audit/index.ts';
import { create as createEmbedded, type EmbeddedStore } from '../sinks/embedded/index.ts';
import { create as createParquet } from '../sinks/parquet/index.ts';
import { create as createPrometheus } from '../sinks/prometheus/index.ts';
import { create as createValkey } from '../sinks/valkey/index.ts';
import type { RuntimeMetrics } from './runtime-metrics.ts';

/** The sinks of one service run and the read sides the API serves. */
export interface BuiltSinks {
  /** Every sink, the embedded store first. */
  readonly sinks: readonly Sink[];
  readonly store: EmbeddedStore;
  readonly metrics: (() => Promise<{ contentType: string; body: string }>) | null;
  /** Where the service records its own health (the Prometheus sink); undefined without /metrics. */
  readonly runtimeMetrics: RuntimeMetrics | undefined;
  readonly history: HistoryReader | null;
}

export interface SinkDeps {
  /** Wall clock: sinks time their flushes, retries and file rotation by it. */
  readonly clock: Clock;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Drops the config-only `enabled` key so the sink's own strict schema gets its options. */
function sinkOptions<T extends { enabled?: boolean }>(o: T): Omit<T, 'enabled'> {
  const { enabled: _enabled, ...rest } = o;
  return rest;
}

/**
 * Builds the sinks `config` enables, as `startFromConfig` does (TODO(#4): share one builder with
 * from-config.ts once it exports one). Waits for the Parquet sink to be ready (its temp-file recovery).
 */
export async function buildSinks(config: Config, deps: SinkDeps): Promise<BuiltSinks> {
  const { clock, logger, env } = deps;
  const store = createEmbedded({}, { clock });
  const sinks: Sink[] = [store];
  if (config.sinks.valkey !== null)
    sinks.push(
      createValkey(config.sinks.valkey, { logger: logger.child({ component: 'sink.valkey' }), clock, env }),
    );
  let metrics: BuiltSinks['metrics'] = null;
  let runtimeMetrics: RuntimeMetrics | undefined;
  if (config.sinks.prometheus.enabled) {
    const prom = createPrometheus(sinkOptions(config.sinks.prometheus), { clock });
    metrics = () => prom.render();
    runtimeMetrics = prom;
    sinks.push(prom);
  }
  let history: HistoryReader | null = null;
  if (config.sinks.parquet.enabled) {
    const parquet = createParquet(sinkOptions(config.sinks.parquet), {
      clock,
      logger: logger.child({ component: 'sink.parquet' }),
    });
    await parquet.ready();
    history = parquet.history();
    sinks.push(parquet);
  }
  if (config.sinks.audit.enabled)
    sinks.push(
      createAudit(sinkOptions(config.sinks.audit), {
        clock,
        logger: logger.child({ component: 'sink.audit' }),
      }),
    );
  return { sinks, store, metrics, runtimeMetrics, history };
}

/** The HTTP API over `built` (health of every sink), not yet listening. */
export function buildApi(built: BuiltSinks, version: string): Api {
  return createApi({
    state: built.store,
    history: built.history,
    metrics: built.metrics ?? (async () => ({ contentType: 'text/plain', body: '' })),
    health: () => {
      const components: Record<string, { ok: boolean }> = { runtime: { ok: true } };
      for (const s of built.sinks) components[`sink.${s.name}`] = s.health();
      return summarizeHealth(components, ['runtime', 'sink.embedded']);
    },
    logger: false,
    version,
  });
}
