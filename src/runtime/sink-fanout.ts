// Hands every rig batch to every sink. Sinks queue and never block, but a sink bug must still not stop
// scoring: a throwing write is caught, counted and reported, and the other sinks still get the batch.

import type { ControlRecord, RigTickBatch, Sink, SinkHealth } from '../core/sink.ts';
import type { OpsReporter } from './ops-events.ts';

export class SinkFanout {
  readonly #sinks: Sink[];
  readonly #ops: OpsReporter;

  constructor(sinks: readonly Sink[], ops: OpsReporter) {
    this.#sinks = [...sinks];
    this.#ops = ops;
  }

  get sinks(): readonly Sink[] {
    return this.#sinks;
  }

  write(batch: RigTickBatch): void {
    for (const sink of this.#sinks) {
      try {
        sink.write(batch);
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
