// Up/down state of every running source from its poll outcomes: each poll is counted in the metrics,
// and only transitions are logged (a source coming up, going down, answering again).

import type { SourceStatus } from '../api/index.ts';
import type { PollOutcome } from '../ingest/index.ts';
import type { OpsReporter } from './ops-events.ts';
import type { RuntimeMetrics } from './runtime-metrics.ts';

export class SourceHealth {
  readonly #ops: OpsReporter;
  readonly #metrics: RuntimeMetrics;
  readonly #status = new Map<string, SourceStatus>();

  constructor(ops: OpsReporter, metrics: RuntimeMetrics) {
    this.#ops = ops;
    this.#metrics = metrics;
  }

  /** Status of source `id` (an ingest source id); `waiting` for one not polled yet or unknown. */
  status(id: string): SourceStatus {
    return this.#status.get(id) ?? 'waiting';
  }

  /** Forgets a removed source (its id may be given to a new one). */
  forget(id: string): void {
    this.#status.delete(id);
  }

  /** Takes one poll outcome: metrics always, a log line on a transition. */
  onPoll(o: PollOutcome): void {
    const component = `source.${o.kind}`;
    this.#metrics.recordSourcePoll(component, o.ok, o.errorKind ?? undefined);
    this.#metrics.recordStageDuration('observe', o.durationMs / 1000);
    const before = this.status(o.source);
    const now: SourceStatus = o.ok ? 'up' : 'down';
    this.#status.set(o.source, now);
    if (before === now) return;
    // Rate-limited per (kind, code, rig) like any event: a flapping source is a repetition.
    const base = { component, rig: o.rig } as const;
    if (now === 'up')
      this.#ops.report({
        ...base,
        code: 'source_up',
        level: 'info',
        msg: before === 'waiting' ? 'Source is up.' : 'Source is up again.',
        fields: { source: o.source },
      });
    else
      this.#ops.report({
        ...base,
        code: 'source_down',
        level: 'warn',
        msg: 'Source is down.',
        err: o.err,
        fields: { source: o.source, error_kind: o.errorKind },
      });
  }
}
