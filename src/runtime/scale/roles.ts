// Starts the scale-out roles as the CLI (and tests, benches) run them: a collector from a resolved
// site configuration, or a worker with its /metrics; each owns its Valkey connection and closes it.

import type { Logger } from 'pino';
import type { Config } from '../../config/index.ts';
import type { Clock } from '../../core/clock.ts';
import { SYSTEM_TIMERS } from '../../ingest/index.ts';
import {
  create as createWriter,
  type StreamWriter,
  type StreamWriterOptionsInput,
} from '../../sinks/valkey-streams/index.ts';
import { type SourceWarn, serviceRigs, serviceSampling } from '../service-config.ts';
import { Collector } from './collector.ts';
import { openValkey, type ValkeyPort } from './valkey-client.ts';
import { Worker } from './worker.ts';
import { serveWorkerMetrics, type WorkerMetrics } from './worker-metrics.ts';
import { emptyWorkerStats, type WorkerOptions } from './worker-types.ts';

export interface CollectorRoleOptions {
  /** Valkey URLs (one = a single server). */
  readonly urls: readonly string[];
  /** Writer options beyond the URL (collector_id required; partitions, spool_dir, …). */
  readonly writer: StreamWriterOptionsInput;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface CollectorRole {
  readonly collector: Collector;
  readonly writer: StreamWriter;
  readonly port: ValkeyPort;
  /** Stops polling, sends or spools what is left, closes the connection. Idempotent. */
  stop(): Promise<void>;
}

/** Builds and starts a collector for `config`'s rigs (throws what a bad source or option throws). */
export function startCollector(config: Config, o: CollectorRoleOptions): CollectorRole {
  const port = openValkey({ urls: o.urls, onError: () => undefined });
  let collector: Collector;
  let writer: StreamWriter;
  try {
    writer = createWriter(o.writer, { port, logger: o.logger, clock: o.clock });
    const warn: SourceWarn = (kind, rig, message, where, level) =>
      o.logger[level === 'note' ? 'info' : 'warn'](
        {
          component: `source.${kind}`,
          code: level === 'note' ? 'source_quirk' : 'source_mapping',
          rig,
          device: where.device,
          detail: message,
        },
        level === 'note' ? 'Miner reply format noted; read as is.' : 'Source reply only partly understood.',
      );
    collector = new Collector(serviceRigs(config, o.env, warn), serviceSampling(config), {
      clock: o.clock,
      timers: SYSTEM_TIMERS,
      logger: o.logger,
      writer,
    });
  } catch (err) {
    void port.close();
    throw err;
  }
  collector.start();
  let stopped: Promise<void> | null = null;
  return {
    collector,
    writer,
    port,
    stop: () => {
      stopped ??= (async () => {
        await collector.stop();
        await port.close();
      })();
      return stopped;
    },
  };
}

export interface WorkerRoleOptions {
  readonly urls: readonly string[];
  readonly worker: WorkerOptions;
  readonly logger: Logger;
  /** /metrics address; port null = no HTTP server. */
  readonly metricsHost?: string;
  readonly metricsPort: number | null;
}

export interface WorkerRole {
  readonly worker: Worker;
  readonly port: ValkeyPort;
  readonly metrics: WorkerMetrics | null;
  /** Finishes reads in hand, releases leases, closes /metrics and the connection. Idempotent. */
  stop(): Promise<void>;
}

/** Starts a worker (resolves once it agreed the partition count with Valkey) and its /metrics. */
export async function startWorker(o: WorkerRoleOptions): Promise<WorkerRole> {
  const port = openValkey({ urls: o.urls, onError: () => undefined });
  let worker: Worker | null = null;
  const metrics =
    o.metricsPort === null
      ? null
      : await serveWorkerMetrics(o.metricsHost ?? '127.0.0.1', o.metricsPort, () => ({
          stats: worker?.stats() ?? emptyWorkerStats(),
          owned: worker?.owned().length ?? 0,
          live: worker?.live().length ?? 0,
        }));
  worker = new Worker(o.worker, { port, logger: o.logger, onBatch: metrics?.observe });
  const w = worker;
  try {
    await w.start();
  } catch (err) {
    await metrics?.close();
    await port.close();
    throw err;
  }
  let stopped: Promise<void> | null = null;
  return {
    worker: w,
    port,
    metrics,
    stop: () => {
      stopped ??= (async () => {
        await w.stop();
        await metrics?.close();
        await port.close();
      })();
      return stopped;
    },
  };
}
