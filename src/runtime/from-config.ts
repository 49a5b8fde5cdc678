// Builds the running service from a resolved rigtune.yaml: sources through the registry, the sinks the
// file enables (the embedded store always, for the API), the HTTP API; reloads it; takes it all down.

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
import { applyConfig, type ReloadOutcome, reloadFromFile } from './reload.ts';
import { Service } from './service.ts';
import { type SourceWarn, serviceRigs, serviceSampling } from './service-config.ts';

export interface RunningService {
  readonly service: Service;
  readonly api: Api;
  readonly address: ApiAddress;
  /** The configuration running now: rigs and sampling as last applied, sinks/http/data_dir as started. */
  readonly config: Config;
  /** Applies `next` live (rigs, sources, thresholds, sampling); reloads are applied one at a time. */
  reconfigure(next: Config): Promise<ReloadOutcome>;
  /**
   * Re-reads `path` (default: the running file) and applies it; a bad file is logged with
   * file:line:column and the running configuration stays. `adjust` re-applies command-line overrides.
   */
  reload(path?: string, adjust?: (c: Config) => Config): Promise<ReloadOutcome>;
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

  // Sources warn while polling, after the service exists.
  let service: Service | null = null;
  const warn: SourceWarn = (kind, rig, message, where) =>
    service?.report({
      component: `source.${kind}`,
      code: 'source_mapping',
      level: 'warn',
      msg: 'Source reply only partly understood.',
      rig,
      device: where.device,
      fields: { detail: message, field: where.field },
    });
  try {
    service = new Service(serviceRigs(config, env, warn), serviceSampling(config), {
      clock,
      timers: SYSTEM_TIMERS,
      logger,
      sinks,
      metrics: prom ?? undefined,
    });
  } catch (err) {
    await Promise.allSettled(sinks.map((s) => s.close()));
    throw err;
  }
  const running = service;
  const api = createApi({
    state: store,
    configured: () => running.configuredRigs(),
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
  let address: ApiAddress;
  try {
    address = await api.listen({ host: config.http.host, port: config.http.port });
  } catch (err) {
    await running.stop();
    throw err;
  }
  running.start();
  running.report({
    component: 'runtime',
    code: 'service_started',
    level: 'info',
    msg: 'Service started.',
    rateLimited: false,
    fields: {
      version: o.version,
      file: config.file,
      url: address.url,
      rigs: config.rigs.length,
      sources: config.rigs.reduce((n, r) => n + r.sources.length, 0),
      sinks: sinks.map((s) => s.name),
      interval_ms: config.sampling.intervalMs,
      data_dir: config.dataDir,
    },
  });

  let current = config;
  let chain: Promise<unknown> = Promise.resolve();
  const serialized = (work: () => Promise<ReloadOutcome>): Promise<ReloadOutcome> => {
    const next = chain.then(work).then((outcome) => {
      current = outcome.config;
      return outcome;
    });
    chain = next.catch(() => undefined);
    return next;
  };
  const deps = { service: running, env, warn };
  let stopped: Promise<void> | null = null;
  return {
    service: running,
    api,
    address,
    get config() {
      return current;
    },
    reconfigure: (next) => serialized(() => applyConfig(current, next, deps)),
    reload: (path, adjust) =>
      serialized(() => reloadFromFile(path ?? current.file, current, { ...deps, adjust })),
    stop: () => {
      stopped ??= (async () => {
        running.report({
          component: 'runtime',
          code: 'service_stopping',
          level: 'info',
          msg: 'Service stopping; flushing sinks.',
          rateLimited: false,
        });
        await running.stop();
        await api.close();
        logger.info(
          { component: 'runtime', code: 'service_stopped', ...running.stats() },
          'Service stopped.',
        );
      })();
      return stopped;
    },
  };
}
