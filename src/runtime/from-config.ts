// Builds the running service from a resolved rigtune.yaml: sources through the registry, the sinks the
// file enables (the embedded store always, for the API), the HTTP API; and takes it all down in order.

import type { Logger } from 'pino';
import { type Api, type ApiAddress, createApi, summarizeHealth } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import type { HistoryReader, Sink } from '../core/sink.ts';
import { SYSTEM_TIMERS } from '../ingest/index.ts';
import { create as createAudit } from '../sinks/audit/index.ts';
import { create as createEmbedded } from '../sinks/embedded/index.ts';
import { create as createParquet } from '../sinks/parquet/index.ts';
import { create as createPrometheus } from '../sinks/prometheus/index.ts';
import { create as createValkey } from '../sinks/valkey/index.ts';
import { Service, type ServiceRig } from './service.ts';
import { sourceEntry } from './source-registry.ts';

export interface RunningService {
  readonly service: Service;
  readonly api: Api;
  readonly address: ApiAddress;
  /** Stops polling, flushes and closes every sink, closes the HTTP server. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
}

/** Drops the config-only `enabled` key so the sink's own strict schema gets its options. */
function sinkOptions<T extends { enabled?: boolean }>(o: T): Omit<T, 'enabled'> {
  const { enabled: _enabled, ...rest } = o;
  return rest;
}

export async function startFromConfig(config: Config, o: StartOptions): Promise<RunningService> {
  const { clock, logger, env } = o;
  const store = createEmbedded({}, { clock });
  const sinks: Sink[] = [store];
  if (config.sinks.valkey !== null)
    sinks.push(
      createValkey(config.sinks.valkey, { logger: logger.child({ component: 'sink.valkey' }), clock, env }),
    );
  const prom = config.sinks.prometheus.enabled
    ? createPrometheus(sinkOptions(config.sinks.prometheus), { clock })
    : null;
  if (prom !== null) sinks.push(prom);
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

  const rigs: ServiceRig[] = config.rigs.map((rig) => ({
    name: rig.name,
    scorer: rig.scorer as ServiceRig['scorer'],
    sources: rig.sources.map((s) => {
      const entry = sourceEntry(s.kind);
      const source = entry.create(s.options, { rig: rig.name, env });
      const interval = (s.options as { interval_ms?: number }).interval_ms;
      return {
        source,
        fastCapable: entry.fastCapable,
        intervalMs: Math.max(interval ?? 0, config.sampling.intervalMs),
      };
    }),
  }));
  const service = new Service(rigs, config.sampling, { clock, timers: SYSTEM_TIMERS, logger, sinks });
  const api = createApi({
    state: store,
    history,
    metrics: prom !== null ? () => prom.render() : async () => ({ contentType: 'text/plain', body: '' }),
    health: () => {
      const components: Record<string, { ok: boolean }> = { runtime: { ok: true } };
      for (const s of sinks) components[`sink.${s.name}`] = s.health();
      return summarizeHealth(components, ['runtime', 'sink.embedded']);
    },
    logger: false,
    version: o.version,
  });
  const address = await api.listen({ host: config.http.host, port: config.http.port });
  service.start();
  let stopped: Promise<void> | null = null;
  return {
    service,
    api,
    address,
    stop: () => {
      stopped ??= (async () => {
        await service.stop();
        await api.close();
      })();
      return stopped;
    },
  };
}
