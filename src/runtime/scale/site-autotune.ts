// Auto-tune at a site in the scale-out layout: the controllers `rigtune run` runs (AutotuneFeed), next to
// the devices, fed each poll of the collector joined with the scores the workers publish for it.

import type { Logger } from 'pino';
import type { JournalPort, KillSwitch } from '../../control/autotune/index.ts';
import type { Clock } from '../../core/clock.ts';
import type { ControlRecord, RigTickBatch, Sink } from '../../core/sink.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { keyNames } from '../../sinks/valkey/index.ts';
import { AutotuneFeed, type AutotuneRig } from '../autotune-feed.ts';
import { OpsReporter } from '../ops-events.ts';
import { NO_METRICS, type RuntimeMetrics } from '../runtime-metrics.ts';
import { ControlWriter, type ControlWriterStats } from './control-writer.ts';
import { parseState, ScoreJoin, type ScoreJoinStats } from './score-join.ts';
import { type ScoreSubscriber, subscribeScores } from './score-subscriber.ts';
import type { ValkeyPort } from './valkey-client.ts';

export interface SiteAutotuneDeps {
  /** The collector's clock (the ticks it stamps; the controllers' time). */
  readonly clock: Clock;
  readonly logger: Logger;
  /** The collector's Valkey connection: records are written and `telemetry:last:<rig>` read through it. */
  readonly port: ValkeyPort;
  /** Valkey URLs for the score subscription (its own connection). */
  readonly urls: readonly string[];
  readonly cluster?: boolean;
  /** The write-ahead journal (opened and closed by the caller). */
  readonly journal: JournalPort;
  readonly killSwitch: KillSwitch;
  /** Key prefix of the workers' results; default `telemetry`. */
  readonly prefix?: string;
  /** Sinks that also take every record (`writeControl`): the audit log. Closed by the caller. */
  readonly sinks?: readonly Sink[];
  readonly metrics?: RuntimeMetrics;
  /** Opens the score subscription; default `subscribeScores` (tests wrap it). */
  readonly subscribe?: typeof subscribeScores;
}

/** Counters (tests, logs). */
export interface SiteAutotuneStats {
  readonly actions: number;
  readonly advice: number;
  readonly writer: ControlWriterStats;
  readonly joins: Readonly<Record<string, ScoreJoinStats>>;
  /** Score messages that were not a rig state (counted, skipped). */
  readonly badMessages: number;
}

export class SiteAutotune {
  /** The controllers, as the control API drives them. */
  readonly feed: AutotuneFeed;
  readonly #d: SiteAutotuneDeps;
  readonly #prefix: string;
  readonly #ops: OpsReporter;
  readonly #writer: ControlWriter;
  readonly #joins = new Map<string, ScoreJoin>();
  /** Score channel → rig. */
  readonly #channels = new Map<string, string>();
  #subscriber: ScoreSubscriber | null = null;
  #actions = 0;
  #advice = 0;
  #badMessages = 0;
  #stopped: Promise<void> | null = null;

  /** Builds a controller per rig with an actuator; throws what an actuator factory or bad options throw. */
  constructor(rigs: readonly AutotuneRig[], deps: SiteAutotuneDeps) {
    this.#d = deps;
    this.#prefix = deps.prefix ?? 'telemetry';
    const metrics = deps.metrics ?? NO_METRICS;
    this.#ops = new OpsReporter(
      deps.logger,
      () => deps.clock.nowMs(),
      10_000,
      (e) => metrics.recordOpsEvent(e.component, e.code),
    );
    this.#writer = new ControlWriter(deps.port, deps.logger, { prefix: this.#prefix });
    this.feed = new AutotuneFeed(rigs, {
      clock: deps.clock,
      journal: deps.journal,
      killSwitch: deps.killSwitch,
      ops: this.#ops,
      emit: (record) => this.#emit(record),
    });
    for (const rig of this.feed.rigs) {
      this.#joins.set(rig, new ScoreJoin(rig));
      this.#channels.set(keyNames(this.#prefix, rig).score, rig);
    }
  }

  /** Rigs with a controller. */
  get rigs(): readonly string[] {
    return this.feed.rigs;
  }

  /**
   * Subscribes to the rigs' scores and starts the controllers (each first rolls back what the journal
   * has in flight for its rig); resolves once both are done.
   */
  async start(): Promise<void> {
    this.#subscriber = (this.#d.subscribe ?? subscribeScores)({
      urls: this.#d.urls,
      cluster: this.#d.cluster,
      channels: [...this.#channels.keys()],
      onMessage: (channel, message) => this.#onScore(channel, message),
      onError: (err) =>
        this.#ops.report({
          component: 'autotune',
          code: 'score_subscription_error',
          level: 'warn',
          msg: 'Score subscription interrupted; reconnecting (late scores are read from Valkey).',
          err,
        }),
    });
    await Promise.all([this.feed.start(), this.#subscriber.ready]);
  }

  /** A poll of `rig` as the collector appended it (`tickMs`: the tick it stamped). */
  onPoll(rig: string, snapshots: readonly Snapshot[], tickMs: number): void {
    const join = this.#joins.get(rig);
    if (join === undefined || this.#stopped !== null) return;
    const late = join.poll(snapshots, tickMs);
    for (const b of late) this.feed.observe(b);
    // The poll before this one got no score by now: workers late or down, or a message missed while the
    // subscription reconnected. The stored state catches up what was missed (nothing when workers are down).
    if (late.length > 0) void this.#catchUp(rig);
  }

  stats(): SiteAutotuneStats {
    const joins: Record<string, ScoreJoinStats> = {};
    for (const [rig, j] of this.#joins) joins[rig] = j.stats();
    return {
      actions: this.#actions,
      advice: this.#advice,
      writer: this.#writer.stats(),
      joins,
      badMessages: this.#badMessages,
    };
  }

  /** Resolves once every record emitted so far is in Valkey (or `timeoutMs` passed). */
  flush(timeoutMs?: number): Promise<void> {
    return this.#writer.flush(timeoutMs);
  }

  /**
   * Stops hearing scores, stops every controller (unvalidated actions rolled back, safe settings
   * restored, their records written), then writes what is queued. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.#subscriber?.close();
      await this.feed.stop();
      await this.#writer.close();
    })();
    return this.#stopped;
  }

  #onScore(channel: string, message: string): void {
    const rig = this.#channels.get(channel);
    if (rig === undefined) return;
    this.#joinState(rig, message);
  }

  #joinState(rig: string, json: string): void {
    if (this.#stopped !== null) return;
    const state = parseState(json);
    if (state === null) {
      this.#badMessages += 1;
      this.#ops.report({
        component: 'autotune',
        code: 'score_unreadable',
        level: 'warn',
        msg: 'Score message is not a rig state; skipped.',
        rig,
      });
      return;
    }
    const batch: RigTickBatch | null = this.#joins.get(rig)?.state(state) ?? null;
    if (batch !== null) this.feed.observe(batch);
  }

  async #catchUp(rig: string): Promise<void> {
    const key = keyNames(this.#prefix, rig).last;
    try {
      const json = await this.#d.port.command(key, ['GET', key]);
      if (typeof json === 'string') this.#joinState(rig, json);
    } catch (err) {
      // Valkey away: the controller goes on with snapshots only; its freshness guard holds actions.
      this.#ops.report({
        component: 'autotune',
        code: 'score_read_failed',
        level: 'warn',
        msg: 'Latest scores could not be read; auto-tune waits for fresh ones.',
        rig,
        err,
      });
    }
  }

  #emit(record: ControlRecord): void {
    if (record.kind === 'action') this.#actions += 1;
    else this.#advice += 1;
    this.#writer.write(record);
    for (const s of this.#d.sinks ?? []) s.writeControl?.(record);
  }
}
