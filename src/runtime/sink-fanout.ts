// Hands every rig batch to every sink. Sinks queue and never block, but a sink bug must still not stop
// scoring: a throwing write is caught, counted and reported, and the other sinks still get the batch.

import type { ControlRecord, RigTickBatch, Sink, SinkHealth } from '../core/sink.ts';
import type { OpsReporter } from './ops-events.ts';
import type { RuntimeMetrics } from './runtime-metrics.ts';

export class SinkFanout {
  readonly #sinks: Sink[];
  readonly #ops: OpsReporter;
  /** Batches handed to each sink since the last `recordHealth`. */
  readonly #batches: number[];
  /** Each sink's `ok` at the last `recordHealth`; null before the first. */
  readonly #wasOk: Array<boolean | null>;

  constructor(sinks: readonly Sink[], ops: OpsReporter) {
    this.#sinks = [...sinks];
    this.#ops = ops;
    this.#batches = this.#sinks.map(() => 0);
    this.#wasOk = this.#sinks.map(() => null);
  }

  get sinks(): readonly Sink[] {
    return this.#sinks;
  }

  write(batch: RigTickBatch): void {
    for (let i = 0; i < this.#sinks.length; i++) {
      const sink = this.#sinks[i];
      try {
        sink.write(batch);
        this.#batches[i] += 1;
      } catch (err) {
        this.#fail(sink, 'write', err, batch.rig);
      }
    }
  }

  writeControl(record: ControlRecord): void {
    for (const sink of this.#sinks) {
      if (sink.writeControl === undefined) continue;
      try {
        sink.writeControl(record);
      } catch (err) {
        this.#fail(sink, 'write_control', err, record.rig);
      }
    }
  }

  /** Flushes every sink; resolves when all settled (a failing flush is reported, not thrown). */
  async flush(): Promise<void> {
    await this.#each('flush', (s) => s.flush());
  }

  /** Closes every sink (each flushes first). */
  async close(): Promise<void> {
    await this.#each('close', (s) => s.close());
  }

  health(): Record<string, SinkHealth> {
    const out: Record<string, SinkHealth> = {};
    for (const s of this.#sinks) out[s.name] = s.health();
    return out;
  }

  /**
   * Publishes each sink's batches since the last call and its health to `metrics`, and reports a sink
   * going down (`sink_down`: its destination fails, batches are queued or spooled) or back up.
   */
  recordHealth(metrics: RuntimeMetrics): void {
    for (let i = 0; i < this.#sinks.length; i++) {
      const sink = this.#sinks[i];
      const component = `sink.${sink.name}`;
      let health: SinkHealth;
      try {
        health = sink.health();
      } catch (err) {
        this.#fail(sink, 'health', err);
        continue;
      }
      metrics.recordSinkBatches(component, this.#batches[i]);
      this.#batches[i] = 0;
      metrics.recordSinkHealth(component, health);
      const wasOk = this.#wasOk[i];
      this.#wasOk[i] = health.ok;
      if (wasOk === health.ok || (wasOk === null && health.ok)) continue;
      const fields = { queued: health.queued, spooled: health.spooled, dropped: health.dropped };
      if (health.ok)
        this.#ops.report({ component, code: 'sink_up', level: 'info', msg: 'Sink writes again.', fields });
      else
        this.#ops.report({
          component,
          code: 'sink_down',
          level: 'warn',
          msg: 'Sink is failing; batches are queued or spooled.',
          fields: { ...fields, last_error: health.lastError },
        });
    }
  }

  async #each(stage: string, fn: (s: Sink) => Promise<void>): Promise<void> {
    const results = await Promise.allSettled(this.#sinks.map(fn));
    results.forEach((r, i) => {
      if (r.status === 'rejected') this.#fail(this.#sinks[i], stage, r.reason);
    });
  }

  #fail(sink: Sink, stage: string, err: unknown, rig?: string): void {
    this.#ops.report({
      component: `sink.${sink.name}`,
      code: 'RT_SINK_FAILED',
      level: 'error',
      msg: 'Sink failed.',
      rig,
      err,
      fields: { stage },
    });
  }
}
