// Operational events (a source timed out, a sink is spooling): one helper logs and counts each, so the
// log and the metric cannot disagree, and repeats are rate-limited per (component, code) with a summary.

import type { Logger } from 'pino';
import type { IngestEvent } from '../ingest/index.ts';

/** One thing worth an operator's attention. `msg` is constant and capitalised, ending with a period. */
export interface OpsEvent {
  readonly component: string;
  /** Stable code, an RT_… error code or a short snake_case event name. */
  readonly code: string;
  readonly level: 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly rig?: string;
  readonly device?: string;
  readonly err?: unknown;
  readonly fields?: Readonly<Record<string, unknown>>;
  /** False for events that are rare by nature and must each be logged (start, stop, reload). Default true. */
  readonly rateLimited?: boolean;
}

interface Window {
  startMs: number;
  suppressed: number;
}

/** An ingest event (a source's poll or reading went wrong or recovered) as the service logs it. */
export function ingestOpsEvent(e: IngestEvent): OpsEvent {
  return {
    component: `source.${e.kind}`,
    code: e.code,
    level: e.level,
    msg: e.msg,
    rig: e.rig,
    device: e.device,
    err: e.err,
    fields: { source: e.source, ...e.fields },
  };
}

export class OpsReporter {
  readonly #logger: Logger;
  readonly #nowMs: () => number;
  readonly #windowMs: number;
  readonly #onCount: ((e: OpsEvent) => void) | undefined;
  readonly #windows = new Map<string, Window>();
  readonly #counts = new Map<string, number>();

  /**
   * `windowMs`: at most one log line per (component, code, rig) per window (default 10 s, Vector's
   * rule); `onCount` receives every event (the metrics counter), logged or not.
   */
  constructor(logger: Logger, nowMs: () => number, windowMs = 10_000, onCount?: (e: OpsEvent) => void) {
    this.#logger = logger;
    this.#nowMs = nowMs;
    this.#windowMs = windowMs;
    this.#onCount = onCount;
  }

  /** Counts the event and logs it, unless its (component, code, rig) was logged less than a window ago. */
  report(e: OpsEvent): void {
    const key = this.tally(e);
    const now = this.#nowMs();
    const w = this.#windows.get(key);
    if (e.rateLimited !== false && w !== undefined && now - w.startMs < this.#windowMs) {
      w.suppressed += 1;
      return;
    }
    const suppressed = w?.suppressed ?? 0;
    this.#windows.set(key, { startMs: now, suppressed: 0 });
    const fields: Record<string, unknown> = { component: e.component, code: e.code, ...e.fields };
    if (e.rig !== undefined) fields.rig = e.rig;
    if (e.device !== undefined) fields.device = e.device;
    if (e.err !== undefined) fields.err = e.err;
    if (suppressed > 0) fields.suppressed = suppressed;
    this.#logger[e.level](fields, e.msg);
  }

  /**
   * Counts the event without logging it: for an event another line already tells (a poll failure
   * that is also the source's down transition). Returns the event's rate-limit key.
   */
  tally(e: OpsEvent): string {
    const key = `${e.component}\u0000${e.code}\u0000${e.rig ?? ''}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#onCount?.(e);
    return key;
  }

  /** Events counted for (component, code), over all rigs. */
  count(component: string, code: string): number {
    let n = 0;
    const prefix = `${component}\u0000${code}\u0000`;
    for (const [k, v] of this.#counts) if (k.startsWith(prefix)) n += v;
    return n;
  }
}
