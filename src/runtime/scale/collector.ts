// `rigtune collect`: the service's ingest half. Every rig's sources are polled as `rigtune run` polls
// them (same scheduler, same rig table), and each poll's snapshots are appended to the rig's partition
// stream instead of being scored here; each rig's scorer settings are published for the workers.

import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { IngestScheduler, type Timers } from '../../ingest/index.ts';
import type { StreamWriter } from '../../sinks/valkey-streams/index.ts';
import { ingestOpsEvent, OpsReporter } from '../ops-events.ts';
import { RigTable, type ServiceRig } from '../rig-table.ts';
import { NO_METRICS, type RuntimeMetrics } from '../runtime-metrics.ts';
import type { ServiceSampling } from '../service-types.ts';
import { SourceHealth } from '../source-health.ts';
import { rigSettingsOf, settingsHash } from './rig-settings.ts';

export interface CollectorDeps {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  /** Where each poll goes; the collector closes it on stop(). */
  readonly writer: StreamWriter;
  readonly metrics?: RuntimeMetrics;
  /** Hears every poll as appended, with the tick it was stamped with (site auto-tune); default none. */
  readonly onPoll?: (rig: string, snapshots: readonly Snapshot[], tickMs: number) => void;
}

export interface CollectorStats {
  /** Polls that produced snapshots (one stream entry each, or more above 1024 snapshots). */
  readonly polls: number;
  readonly snapshots: number;
}

export class Collector {
  readonly #scheduler: IngestScheduler;
  readonly #table: RigTable;
  readonly #writer: StreamWriter;
  readonly #clock: Clock;
  readonly #onPoll: CollectorDeps['onPoll'];
  #polls = 0;
  #snapshots = 0;
  #stopped: Promise<void> | null = null;

  /** Throws what a source factory throws (a bad source is a startup error). */
  constructor(rigs: readonly ServiceRig[], sampling: ServiceSampling, deps: CollectorDeps) {
    const metrics = deps.metrics ?? NO_METRICS;
    const ops = new OpsReporter(
      deps.logger,
      () => deps.clock.nowMs(),
      10_000,
      (e) => metrics.recordOpsEvent(e.component, e.code),
    );
    const health = new SourceHealth(ops, metrics);
    this.#writer = deps.writer;
    this.#clock = deps.clock;
    this.#onPoll = deps.onPoll;
    for (const rig of rigs) {
      const { hash, json } = settingsHash(rigSettingsOf(rig));
      this.#writer.setRigConfig(rig.name, hash, json);
    }
    this.#scheduler = new IngestScheduler({
      clock: deps.clock,
      timers: deps.timers,
      defaultIntervalMs: sampling.intervalMs,
      burstIntervalMs: sampling.burstIntervalMs,
      onSamples: (rig, samples) => this.#onSamples(rig, samples),
      series: false,
      onPoll: (o) => health.onPoll(o),
      reportWindowMs: 0,
      report: (e) => ops.report(ingestOpsEvent(e)),
    });
    // Scoring happens in the workers: the table's scorers stay unused (they allocate nothing until fed).
    this.#table = new RigTable({ scheduler: this.#scheduler, health, ops, closeEvents: () => undefined });
    for (const rig of rigs) this.#table.add(rig, true);
  }

  start(): void {
    this.#scheduler.start();
  }

  stats(): CollectorStats {
    return { polls: this.#polls, snapshots: this.#snapshots };
  }

  /** Stops polling, then closes the writer (sends what it can, spools the rest). Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.#scheduler.stop();
      await this.#writer.close();
    })();
    return this.#stopped;
  }

  #onSamples(rig: string, samples: readonly Snapshot[]): void {
    if (samples.length === 0) return;
    this.#polls += 1;
    this.#snapshots += samples.length;
    // Stamped with the collector's clock as `rigtune run` stamps its batch: the workers' advice times.
    const tickMs = this.#clock.nowMs();
    this.#writer.append(rig, samples, tickMs);
    this.#onPoll?.(rig, samples, tickMs);
  }
}
