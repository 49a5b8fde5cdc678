// The embedded in-process store: a Sink that keeps the latest RigState per rig, the recent control
// records and each rig's active advice, and the StateReader the HTTP API reads and subscribes to.

import type { Clock } from '../../core/clock.ts';
import type {
  ControlRecord,
  RigState,
  RigTickBatch,
  Sink,
  SinkHealth,
  StateReader,
} from '../../core/sink.ts';
import type { EmbeddedOptions } from './options.ts';

/** The part of a pino logger the store uses (no library import needed). */
export interface EmbeddedLogger {
  warn(obj: object, msg: string): void;
}

/** What the store needs from the runtime; both optional. */
export interface EmbeddedStoreDeps {
  /** Hears about throwing listeners (rate-limited). Default: silent. */
  readonly logger?: EmbeddedLogger;
  /** Times the rate limit of those logs. Default: the system clock. */
  readonly clock?: Pick<Clock, 'nowMs'>;
}

/** Counters beyond SinkHealth, for tests and the collector metrics. */
export interface EmbeddedStats {
  /** States published to listeners. */
  readonly states: number;
  /** States ignored because the rig already had a newer one. */
  readonly stale: number;
  readonly controlRecords: number;
  /** Listener calls that threw (each caught; the other listeners still ran). */
  readonly listenerErrors: number;
}

const LOG_WINDOW_MS = 10_000;

/**
 * Synchronous: `write` updates the rig's state and calls every state listener before it returns, so
 * listeners must be quick (an SSE write is). A listener that throws is counted and logged; the others
 * still run and it stays subscribed. A state older than the rig's current one (by `ts`) is ignored.
 */
export class EmbeddedStore implements Sink, StateReader {
  readonly name = 'embedded';
  readonly #controlHistory: number;
  readonly #logger: EmbeddedLogger | undefined;
  readonly #nowMs: () => number;
  readonly #latest = new Map<string, RigState>();
  readonly #control = new Map<string, ControlRecord[]>();
  /** Per rig, the newest record of each advice episode not cleared, keyed by `payload.id`. */
  readonly #activeAdvice = new Map<string, Map<string, ControlRecord>>();
  readonly #listeners = new Set<(state: RigState) => void>();
  readonly #controlListeners = new Set<(record: ControlRecord) => void>();
  #rigs: readonly string[] | null = [];
  #states = 0;
  #stale = 0;
  #controlRecords = 0;
  #listenerErrors = 0;
  #dropped = 0;
  #lastError: string | null = null;
  #loggedAtMs = Number.NEGATIVE_INFINITY;
  #suppressed = 0;
  #closed = false;

  constructor(options: EmbeddedOptions, deps: EmbeddedStoreDeps = {}) {
    this.#controlHistory = options.control_history;
    this.#logger = deps.logger;
    const clock = deps.clock;
    this.#nowMs = clock === undefined ? () => Date.now() : () => clock.nowMs();
  }

  write(batch: RigTickBatch): void {
    if (this.#closed) {
      this.#dropped += 1;
      return;
    }
    const state = batch.state;
    const current = this.#latest.get(state.rig);
    if (current !== undefined && state.ts < current.ts) {
      this.#stale += 1;
      return;
    }
    if (current === undefined) this.#rigs = null;
    this.#latest.set(state.rig, state);
    this.#states += 1;
    this.#notify(this.#listeners, state, 'state');
  }

  writeControl(record: ControlRecord): void {
    if (this.#closed) {
      this.#dropped += 1;
      return;
    }
    let list = this.#control.get(record.rig);
    if (list === undefined) {
      list = [];
      this.#control.set(record.rig, list);
    }
    list.push(record);
    if (list.length > this.#controlHistory) list.splice(0, list.length - this.#controlHistory);
    if (record.kind === 'advice') this.#indexAdvice(record);
    this.#controlRecords += 1;
    this.#notify(this.#controlListeners, record, 'control');
  }

  rigs(): readonly string[] {
    if (this.#rigs === null) this.#rigs = [...this.#latest.keys()].sort();
    return this.#rigs;
  }

  latest(rig: string): RigState | null {
    return this.#latest.get(rig) ?? null;
  }

  control(rig: string): readonly ControlRecord[] {
    return this.#control.get(rig)?.slice() ?? [];
  }

  /**
   * Active advice of `rig`: the newest record of each advice episode (records sharing `payload.id`)
   * whose `payload.state` is not `cleared`, in the order the episodes were raised. Advice records
   * without a string `payload.id` are not episodes: they are only in `control()`.
   */
  activeAdvice(rig: string): ControlRecord[] {
    const active = this.#activeAdvice.get(rig);
    return active === undefined ? [] : [...active.values()];
  }

  subscribe(listener: (state: RigState) => void): () => void {
    return this.#add(this.#listeners, listener);
  }

  /** Like `subscribe`, for advice and action records. */
  subscribeControl(listener: (record: ControlRecord) => void): () => void {
    return this.#add(this.#controlListeners, listener);
  }

  /** Listeners currently subscribed (states and control). */
  get listenerCount(): number {
    return this.#listeners.size + this.#controlListeners.size;
  }

  async flush(): Promise<void> {}

  /** Stops accepting writes (later ones are counted as dropped) and drops the listeners; reads still work. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    this.#controlListeners.clear();
  }

  health(): SinkHealth {
    return { ok: true, queued: 0, spooled: 0, dropped: this.#dropped, lastError: this.#lastError };
  }

  stats(): EmbeddedStats {
    return {
      states: this.#states,
      stale: this.#stale,
      controlRecords: this.#controlRecords,
      listenerErrors: this.#listenerErrors,
    };
  }

  #indexAdvice(record: ControlRecord): void {
    const { id, state } = record.payload;
    if (typeof id !== 'string') return;
    let active = this.#activeAdvice.get(record.rig);
    if (state === 'cleared') {
      active?.delete(id);
      if (active?.size === 0) this.#activeAdvice.delete(record.rig);
      return;
    }
    if (active === undefined) {
      active = new Map();
      this.#activeAdvice.set(record.rig, active);
    }
    // An update keeps the episode's place (Map order is first insertion).
    active.set(id, record);
  }

  #add<T>(set: Set<(value: T) => void>, listener: (value: T) => void): () => void {
    // A wrapper per subscription: the same function subscribed twice is two subscriptions.
    const entry = (value: T) => listener(value);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  #notify<T>(set: Set<(value: T) => void>, value: T, kind: string): void {
    if (set.size === 0) return;
    for (const listener of [...set]) {
      // One unsubscribed by an earlier listener of this round is not called any more.
      if (!set.has(listener)) continue;
      try {
        listener(value);
      } catch (err) {
        this.#listenerFailed(err, kind);
      }
    }
  }

  #listenerFailed(err: unknown, kind: string): void {
    this.#listenerErrors += 1;
    this.#lastError = `a ${kind} listener threw: ${err instanceof Error ? err.message : String(err)}`;
    const now = this.#nowMs();
    if (now - this.#loggedAtMs < LOG_WINDOW_MS) {
      this.#suppressed += 1;
      return;
    }
    const suppressed = this.#suppressed;
    this.#loggedAtMs = now;
    this.#suppressed = 0;
    this.#logger?.warn(
      { component: 'sink.embedded', code: 'listener_failed', kind, err, suppressed },
      'Store listener threw.',
    );
  }
}
