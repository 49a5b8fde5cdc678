// The running service's core loop: ingest polls every rig's sources, each rig's fresh snapshots are
// scored with that rig's options, the batch goes to every sink, then to the advisory engine and the
// auto-tune controllers, whose advice and actions go to every sink too; a suspect rig bursts.

import type { ConfiguredRig } from '../api/index.ts';
import type { AdvicePayload } from '../control/advisory/index.ts';
import type { Clock } from '../core/clock.ts';
import type { ControlRecord } from '../core/sink.ts';
import type { Snapshot } from '../core/snapshot.ts';
import { type IngestEvent, IngestScheduler, type TimerHandle, type Timers } from '../ingest/index.ts';
import { AdvisoryFeed } from './advisory-feed.ts';
import { AutotuneFeed } from './autotune-feed.ts';
import { ingestOpsEvent, type OpsEvent, OpsReporter } from './ops-events.ts';
import { type ReconfigureReport, RigTable, type ServiceRig } from './rig-table.ts';
import { NO_METRICS, type RuntimeMetrics } from './runtime-metrics.ts';
import { RuptureWatch } from './rupture-watch.ts';
import type { ServiceDeps, ServiceSampling, ServiceStats } from './service-types.ts';
import { SinkFanout } from './sink-fanout.ts';
import { SourceHealth } from './source-health.ts';

export type { ReadySource, ReconfigureReport, ServiceRig, ServiceSource, SourceSpec } from './rig-table.ts';
export type { ServiceDeps, ServiceSampling, ServiceStats } from './service-types.ts';

export class Service {
  readonly #scheduler: IngestScheduler;
  readonly #table: RigTable;
  readonly #fanout: SinkFanout;
  readonly #ops: OpsReporter;
  readonly #health: SourceHealth;
  readonly #ruptures: RuptureWatch;
  readonly #advisory: AdvisoryFeed;
  readonly #autotune: AutotuneFeed | null;
  readonly #metrics: RuntimeMetrics;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #healthPeriodMs: number;
  readonly #monotonicMs: () => number;
  readonly #stats = {
    batches: 0,
    scores: 0,
    events: 0,
    rejected: 0,
    bursts: 0,
    reconfigures: 0,
    advice: 0,
    actions: 0,
  };
  #burstDurationMs: number;
  #healthTimer: TimerHandle = null;
  #reconfiguring: Promise<unknown> = Promise.resolve();
  #stopped: Promise<void> | null = null;

  /** Throws what a source factory throws (a bad source is a startup error). */
  constructor(rigs: readonly ServiceRig[], sampling: ServiceSampling, deps: ServiceDeps) {
    this.#clock = deps.clock;
    this.#timers = deps.timers;
    this.#metrics = deps.metrics ?? NO_METRICS;
    this.#healthPeriodMs = deps.healthPeriodMs ?? 1000;
    this.#monotonicMs = deps.monotonicMs ?? (() => performance.now());
    this.#burstDurationMs = sampling.burstDurationMs;
    const metrics = this.#metrics;
    this.#ops = new OpsReporter(
      deps.logger,
      () => deps.clock.nowMs(),
      10_000,
      (e) => metrics.recordOpsEvent(e.component, e.code),
    );
    this.#fanout = new SinkFanout(deps.sinks, this.#ops);
    this.#health = new SourceHealth(this.#ops, metrics);
    this.#ruptures = new RuptureWatch(this.#ops);
    const emit = (record: ControlRecord): void => this.emitControl(record);
    // Built first: a failing actuator factory or bad options is a startup error.
    const control = deps.control;
    this.#autotune =
      control === undefined
        ? null
        : new AutotuneFeed(rigs, { ...control, clock: deps.clock, ops: this.#ops, emit });
    this.#advisory = new AdvisoryFeed({
      clock: deps.clock,
      ops: this.#ops,
      autotuneMode: (rig) => deps.autotuneMode?.(rig) ?? this.#autotune?.modeOverride(rig),
      emit,
    });
    this.#advisory.configure(rigs);
    this.#scheduler = new IngestScheduler({
      clock: deps.clock,
      timers: deps.timers,
      defaultIntervalMs: sampling.intervalMs,
      burstIntervalMs: sampling.burstIntervalMs,
      onSamples: (rig, samples) => this.#onSamples(rig, samples),
      // Each rig's scorer derives counter deltas and keeps its own windows: a second per-device
      // series in ingest would double that work and memory for nothing.
      series: false,
      onPoll: (o) => this.#health.onPoll(o),
      // Ingest already limits repeats per (source, code, device); the reporter logs and counts them.
      reportWindowMs: 0,
      report: (e) => this.#onIngestEvent(e),
    });
    this.#table = new RigTable({
      scheduler: this.#scheduler,
      health: this.#health,
      ops: this.#ops,
      closeEvents: (rig, events, state) => {
        this.#stats.events += events.length;
        this.#ruptures.observe(rig, [], events);
        this.#fanout.write({ rig, ts: this.#clock.nowMs(), snapshots: [], scores: [], events, state });
      },
    });
    for (const rig of rigs) this.#table.add(rig, true);
  }

  /**
   * Starts polling, and the auto-tune controllers, each of which first rolls back what the journal
   * has in flight for its rig; resolves once they have (polling does not wait for it).
   */
  start(): Promise<void> {
    this.#scheduler.start();
    this.#armHealth();
    return this.#autotune?.start() ?? Promise.resolve();
  }

  /** The auto-tune controllers as the control API drives them; null without `deps.control`. */
  /**
   * Hands an advice or action record to every sink (as the controllers and the advisory engine do),
   * for parts wired around the service such as an A-B-A study's markers. Never throws.
   */
  emitControl(record: ControlRecord): void {
    this.#stats[record.kind === 'action' ? 'actions' : 'advice'] += 1;
    this.#fanout.writeControl(record);
  }

  control(): AutotuneFeed | null {
    return this.#autotune;
  }

  stats(): ServiceStats {
    return { ...this.#stats };
  }

  /** Every configured rig with its sources and their up/down status, in configuration order. */
  configuredRigs(): readonly ConfiguredRig[] {
    return this.#table.describe();
  }

  /** Advice active now (of every rig, or of one), oldest first: what autotune and the CLI read. */
  activeAdvice(rig?: string): AdvicePayload[] {
    return this.#advisory.active(rig);
  }

  /** Logs and counts an operational event through the service's reporter (rate-limited per key). */
  report(e: OpsEvent): void {
    this.#ops.report(e);
  }

  /**
   * Applies a new set of rigs and cadences without a restart (SIGHUP): rigs added start polling, rigs
   * removed stop theirs and close their open events; a rig whose scorer options changed gets a new
   * scorer (its scoring windows start afresh; its latest state is kept); a source whose key changed
   * is stopped and its replacement started. Calls are applied one after another; once stop() was
   * called a reconfigure does nothing (an empty report).
   */
  reconfigure(rigs: readonly ServiceRig[], sampling: ServiceSampling): Promise<ReconfigureReport> {
    const next = this.#reconfiguring.then(async () => {
      if (this.#stopped !== null) return RigTable.emptyReport();
      this.#burstDurationMs = sampling.burstDurationMs;
      this.#scheduler.setBurstIntervalMs(sampling.burstIntervalMs);
      this.#stats.reconfigures += 1;
      const report = await this.#table.reconfigure(rigs, () => this.#stopped !== null);
      for (const rig of report.rigsRemoved) this.#ruptures.forget(rig);
      this.#advisory.configure(rigs);
      this.#autotune?.configure(rigs);
      return report;
    });
    this.#reconfiguring = next.catch(() => undefined);
    return next;
  }

  /**
   * Stops polling, closes every open rupture event into a last batch, stops auto-tune (unvalidated
   * actions rolled back, safe settings restored: their records still reach the sinks), then flushes
   * and closes every sink.
   */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    this.#timers.clear(this.#healthTimer);
    this.#healthTimer = null;
    await this.#scheduler.stop();
    await this.#reconfiguring;
    this.#table.closeAll();
    await this.#autotune?.stop();
    this.#fanout.recordHealth(this.#metrics);
    await this.#fanout.close();
  }

  #armHealth(): void {
    this.#healthTimer = this.#timers.set(() => {
      if (this.#stopped !== null) return;
      this.#advisory.sweep();
      this.#metrics.recordActiveAdvice?.(this.#advisory.counts());
      this.#fanout.recordHealth(this.#metrics);
      this.#armHealth();
    }, this.#healthPeriodMs);
  }

  #onIngestEvent(e: IngestEvent): void {
    this.#advisory.observeIngest(e);
    const event = ingestOpsEvent(e);
    // SourceHealth tells the down and up transitions from the same poll: these are counted only.
    const firstFailure = e.fields?.error_kind !== undefined && e.fields.failures === 1;
    if (e.code === 'source_recovered' || firstFailure) this.#ops.tally(event);
    else this.#ops.report(event);
  }

  #onSamples(rig: string, samples: readonly Snapshot[]): void {
    const scorer = this.#table.scorer(rig);
    if (scorer === undefined || samples.length === 0) return;
    const t0 = this.#monotonicMs();
    const r = scorer.score(samples);
    const t1 = this.#monotonicMs();
    this.#metrics.recordStageDuration('score', (t1 - t0) / 1000);
    for (const x of r.rejected)
      this.#ops.report({
        component: 'runtime',
        code: x.error.code,
        level: 'warn',
        msg: 'Sample rejected by the scorer.',
        rig,
        device: x.device,
        err: x.error,
      });
    this.#ruptures.observe(rig, r.scores, r.events);
    const until = this.#clock.nowMs() + this.#burstDurationMs;
    if (r.suspect && this.#burstDurationMs > 0 && this.#scheduler.burst(rig, until) > 0)
      this.#stats.bursts += 1;
    this.#stats.batches += 1;
    this.#stats.scores += r.scores.length;
    this.#stats.events += r.events.length;
    this.#stats.rejected += r.rejected.length;
    const batch = {
      rig,
      ts: this.#clock.nowMs(),
      snapshots: samples,
      scores: r.scores,
      events: r.events,
      state: r.state,
    };
    this.#fanout.write(batch);
    const t2 = this.#monotonicMs();
    this.#metrics.recordStageDuration('stream', (t2 - t1) / 1000);
    this.#advisory.observe(batch);
    this.#autotune?.observe(batch);
    this.#metrics.recordStageDuration('advise', (this.#monotonicMs() - t2) / 1000);
  }
}
