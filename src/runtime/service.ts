// The running service's core loop: ingest polls every rig's sources, each rig's fresh snapshots are
// scored with that rig's options, and the batch goes to every sink; a suspect rig bursts its fast sources.

import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { Sink } from '../core/sink.ts';
import type { Source } from '../core/source.ts';
import { IngestScheduler, type Timers } from '../ingest/index.ts';
import type { ScorerOptions } from '../pipeline/index.ts';
import { OpsReporter } from './ops-events.ts';
import { RigScorer } from './rig-scorer.ts';
import { SinkFanout } from './sink-fanout.ts';

/** One configured source as the service runs it. */
export interface ServiceSource {
  readonly source: Source;
  /** Its values change fast enough to be worth bursting (NVML, nvidia-smi). */
  readonly fastCapable: boolean;
  /** Poll interval, ms; undefined = the sampling default. */
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
}

/** One rig: its name, its scorer options (defaults merged with its thresholds) and its sources. */
export interface ServiceRig {
  readonly name: string;
  readonly scorer: Partial<ScorerOptions>;
  readonly sources: readonly ServiceSource[];
}

export interface ServiceSampling {
  readonly intervalMs: number;
  readonly burstIntervalMs: number;
  readonly burstDurationMs: number;
}

export interface ServiceDeps {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  /** Every sink, the embedded store included; the first is given batches first. */
  readonly sinks: readonly Sink[];
}

/** Counters of the loop, for /healthz and `rigtune demo`'s summary. */
export interface ServiceStats {
  readonly batches: number;
  readonly scores: number;
  readonly events: number;
  readonly rejected: number;
  readonly bursts: number;
}

export class Service {
  readonly #scheduler: IngestScheduler;
  readonly #rigs = new Map<string, RigScorer>();
  readonly #fanout: SinkFanout;
  readonly #ops: OpsReporter;
  readonly #clock: Clock;
  #stats = { batches: 0, scores: 0, events: 0, rejected: 0, bursts: 0 };
  #stopped: Promise<void> | null = null;

  constructor(rigs: readonly ServiceRig[], sampling: ServiceSampling, deps: ServiceDeps) {
    this.#clock = deps.clock;
    this.#ops = new OpsReporter(deps.logger, () => deps.clock.nowMs());
    this.#fanout = new SinkFanout(deps.sinks, this.#ops);
    this.#scheduler = new IngestScheduler({
      clock: deps.clock,
      timers: deps.timers,
      defaultIntervalMs: sampling.intervalMs,
      burstIntervalMs: sampling.burstIntervalMs,
      burstDurationMs: sampling.burstDurationMs,
      onSamples: (rig, samples) => this.#onSamples(rig, samples),
      // Ingest already limits repeats per (source, code, device); the reporter logs and counts them.
      reportWindowMs: 0,
      report: (e) =>
        this.#ops.report({
          component: `source.${e.kind}`,
          code: e.code,
          level: e.level,
          msg: e.msg,
          rig: e.rig,
          device: e.device,
          err: e.err,
          fields: { source: e.source, ...e.fields },
        }),
    });
    for (const rig of rigs) {
      this.#rigs.set(rig.name, new RigScorer(rig.name, rig.scorer));
      for (const s of rig.sources)
        this.#scheduler.add({
          source: s.source,
          fastCapable: s.fastCapable,
          intervalMs: s.intervalMs,
          timeoutMs: s.timeoutMs,
        });
    }
  }

  start(): void {
    this.#scheduler.start();
  }

  stats(): ServiceStats {
    return { ...this.#stats };
  }

  /** Stops polling, closes every open rupture event into a last batch, then flushes and closes every sink. */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    await this.#scheduler.stop();
    for (const scorer of this.#rigs.values()) {
      const events = scorer.flush();
      if (events.length === 0) continue;
      this.#stats.events += events.length;
      const state = scorer.state();
      this.#fanout.write({
        rig: scorer.rig,
        ts: this.#clock.nowMs(),
        snapshots: [],
        scores: [],
        events,
        state,
      });
    }
    await this.#fanout.close();
  }

  #onSamples(rig: string, samples: Parameters<RigScorer['score']>[0]): void {
    const scorer = this.#rigs.get(rig);
    if (scorer === undefined || samples.length === 0) return;
    const r = scorer.score(samples);
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
    if (r.suspect && this.#scheduler.burst(rig) > 0) this.#stats.bursts += 1;
    this.#stats.batches += 1;
    this.#stats.scores += r.scores.length;
    this.#stats.events += r.events.length;
    this.#stats.rejected += r.rejected.length;
    this.#fanout.write({
      rig,
      ts: this.#clock.nowMs(),
      snapshots: samples,
      scores: r.scores,
      events: r.events,
      state: r.state,
    });
  }
}
