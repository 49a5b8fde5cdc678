// Starts the scale-out roles as the CLI (and tests, benches) run them: a collector from a resolved
// site configuration, or a worker with its /metrics; each owns its Valkey connection and closes it.

import type { Logger } from 'pino';
import type { Config } from '../../config/index.ts';
import { KillSwitch } from '../../control/autotune/index.ts';
import { type ActionJournal, openJournal } from '../../control/journal/index.ts';
import type { Clock } from '../../core/clock.ts';
import type { Sink } from '../../core/sink.ts';
import { SYSTEM_TIMERS } from '../../ingest/index.ts';
import { create as createAudit } from '../../sinks/audit/index.ts';
import {
  create as createWriter,
  type StreamWriter,
  type StreamWriterOptionsInput,
} from '../../sinks/valkey-streams/index.ts';
import type { ActuatorRegistryDeps } from '../actuator-registry.ts';
import { type SourceWarn, serviceRigs, serviceSampling } from '../service-config.ts';
import { Collector } from './collector.ts';
import { SiteAutotune } from './site-autotune.ts';
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
  /** What actuator drivers need beyond their options (the sim fleet in tests); default none. */
  readonly actuators?: ActuatorRegistryDeps;
}

export interface CollectorRole {
  readonly collector: Collector;
  readonly writer: StreamWriter;
  readonly port: ValkeyPort;
  /** Auto-tune of the site's rigs with an actuator; null when none has one. */
  readonly autotune: SiteAutotune | null;
  /** The action journal; null when no rig has an actuator (nothing opened). */
  readonly journal: ActionJournal | null;
  /**
   * Stops polling, sends or spools what is left, stops auto-tune (safe settings restored, records
   * written), closes the journal, audit log and connection. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * Builds and starts a collector for `config`'s rigs (throws what a bad source, actuator or option
 * throws). Rigs with an `actuator:` are tuned here, where the devices are reachable: the journal is
 * opened under `control.journal_dir`, the kill switch follows `control.kill_switch`, the audit log is
 * written when `sinks.audit` is enabled. Resolves once each controller rolled back what the journal
 * had in flight for its rig (polling has started by then).
 */
export async function startCollector(config: Config, o: CollectorRoleOptions): Promise<CollectorRole> {
  const tuned = config.rigs.some((r) => r.actuator !== null);
  const journal = tuned ? await openJournal({ dir: config.control.journalDir }) : null;
  const port = openValkey({ urls: o.urls, onError: () => undefined });
  const sinks: Sink[] = [];
  let collector: Collector;
  let writer: StreamWriter;
  let autotune: SiteAutotune | null = null;
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
    const rigs = serviceRigs(config, o.env, warn, o.actuators);
    if (journal !== null) {
      if (config.sinks.audit.enabled) {
        const { enabled: _enabled, ...audit } = config.sinks.audit;
        sinks.push(
          createAudit(audit, { clock: o.clock, logger: o.logger.child({ component: 'sink.audit' }) }),
        );
      }
      const killSwitch = new KillSwitch();
      if (config.control.killSwitch) killSwitch.engage('configuration (control.kill_switch)');
      autotune = new SiteAutotune(rigs, {
        clock: o.clock,
        logger: o.logger,
        port,
        urls: o.urls,
        journal,
        killSwitch,
        prefix: o.writer.key_prefix,
        sinks,
      });
    }
    const site = autotune;
    collector = new Collector(rigs, serviceSampling(config), {
      clock: o.clock,
      timers: SYSTEM_TIMERS,
      logger: o.logger,
      writer,
      onPoll: site === null ? undefined : (rig, snapshots, tickMs) => site.onPoll(rig, snapshots, tickMs),
    });
  } catch (err) {
    await autotune?.stop();
    await Promise.allSettled(sinks.map((s) => s.close()));
    await journal?.close();
    void port.close();
    throw err;
  }
  collector.start();
  await autotune?.start();
  let stopped: Promise<void> | null = null;
  return {
    collector,
    writer,
    port,
    autotune,
    journal,
    stop: () => {
      stopped ??= (async () => {
        await collector.stop();
        await autotune?.stop();
        await Promise.allSettled(sinks.map((s) => s.close()));
        await journal?.close();
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
