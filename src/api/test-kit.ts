// Test support for the API's tests: a real in-memory StateReader and HistoryReader, score and state
// builders, a started API on 127.0.0.1 port 0, and an incremental server-sent-events parser.

import { RigtuneError } from '../core/errors.ts';
import type { RuptureClass, ScoreTick } from '../core/scores.ts';
import {
  type ControlRecord,
  type HistoryQuery,
  type HistoryReader,
  type HistoryResult,
  type RigState,
  SCHEMA_VERSION,
  type StateReader,
} from '../core/sink.ts';
import { type Api, createApi } from './app.ts';
import type { ApiDeps } from './types.ts';

/** A score with neutral values; `over` replaces any field. */
export function makeTick(rig: string, device: string, ts: number, over: Partial<ScoreTick> = {}): ScoreTick {
  return {
    type: 'tick',
    ts,
    rig,
    device,
    samples: 1,
    health_bit: 0,
    health_reasons: [],
    structure: null,
    change_prob: 0,
    lambda_hazard: 0,
    kpis: {
      efficiency_h_per_j: null,
      efficiency_j_per_th: null,
      reject_rate: null,
      reject_rate_ci95: null,
      shares_in_window: null,
      thermal_headroom_c: null,
      latency_budget_ms: null,
      stability_index: null,
      eff_norm: null,
      hashrate_ratio: null,
    },
    sep_score: 90,
    rupture_class: 'none' as RuptureClass,
    channels_changing: [],
    channels: {},
    counter_resets: [],
    ...over,
  };
}

/** A rig state of `devices` (sorted by name as the contract says). */
export function makeState(rig: string, devices: readonly ScoreTick[]): RigState {
  const sorted = [...devices].sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
  return { schema: SCHEMA_VERSION, rig, ts: Math.max(0, ...sorted.map((d) => d.ts)), devices: sorted };
}

/** A StateReader over maps; `publish` stores a state and calls the listeners, as the embedded store does. */
export class MemoryState implements StateReader {
  readonly #known = new Set<string>();
  readonly #latest = new Map<string, RigState>();
  readonly #control = new Map<string, ControlRecord[]>();
  readonly #listeners = new Set<(state: RigState) => void>();
  readonly #controlListeners = new Set<(record: ControlRecord) => void>();
  readonly #waiters: Array<{ count: number; resolve: () => void }> = [];

  /** Makes `rig` known without a state (configured, not scored yet). */
  addRig(rig: string): void {
    this.#known.add(rig);
  }

  publish(state: RigState): void {
    this.#known.add(state.rig);
    this.#latest.set(state.rig, state);
    for (const l of this.#listeners) l(state);
  }

  /** Keeps a control record and calls the control listeners (as the embedded store's writeControl). */
  addControl(record: ControlRecord): void {
    this.#known.add(record.rig);
    const list = this.#control.get(record.rig) ?? [];
    list.push(record);
    this.#control.set(record.rig, list);
    for (const l of this.#controlListeners) l(record);
  }

  /** As the embedded store's `subscribeControl`; counted in `listenerCount` too. */
  subscribeControl(listener: (record: ControlRecord) => void): () => void {
    const wrapped = (r: ControlRecord): void => listener(r);
    this.#controlListeners.add(wrapped);
    this.#settle();
    return () => {
      this.#controlListeners.delete(wrapped);
      this.#settle();
    };
  }

  rigs(): readonly string[] {
    return [...this.#known].sort();
  }

  latest(rig: string): RigState | null {
    return this.#latest.get(rig) ?? null;
  }

  control(rig: string): readonly ControlRecord[] {
    return this.#control.get(rig) ?? [];
  }

  subscribe(listener: (state: RigState) => void): () => void {
    const wrapped = (s: RigState): void => listener(s); // each subscription is its own entry
    this.#listeners.add(wrapped);
    this.#settle();
    return () => {
      this.#listeners.delete(wrapped);
      this.#settle();
    };
  }

  get listenerCount(): number {
    return this.#listeners.size + this.#controlListeners.size;
  }

  /** Resolves once exactly `count` listeners are subscribed (event-driven, no polling). */
  waitForListeners(count: number): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push({ count, resolve });
      this.#settle();
    });
  }

  #settle(): void {
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      if (this.#waiters[i].count === this.listenerCount) this.#waiters.splice(i, 1)[0].resolve();
    }
  }
}

export type HistoryRow = Readonly<Record<string, string | number | null>> & {
  readonly ts: number;
  readonly rig: string;
  readonly device: string;
};

/** A HistoryReader over an array of rows; remembers the queries it was asked. */
export class ArrayHistory implements HistoryReader {
  readonly #rows: readonly HistoryRow[];
  readonly #fields: readonly string[];
  readonly queries: HistoryQuery[] = [];

  constructor(fields: readonly string[], rows: readonly HistoryRow[]) {
    this.#fields = fields;
    this.#rows = rows;
  }

  fields(): readonly string[] {
    return this.#fields;
  }

  async query(q: HistoryQuery): Promise<HistoryResult> {
    this.queries.push(q);
    for (const f of q.fields ?? []) {
      if (!this.#fields.includes(f))
        throw new RigtuneError('RT_API_PARAM', `unknown field '${f}'`, { field: 'fields' });
    }
    const wanted = q.fields ?? this.#fields;
    const matched = this.#rows
      .filter((r) => r.rig === q.rig && r.ts >= q.fromMs && r.ts <= q.toMs)
      .filter((r) => q.device === undefined || r.device === q.device)
      .sort((a, b) => a.ts - b.ts);
    const rows = matched.slice(0, q.limit).map((r) => {
      const out: Record<string, string | number | null> = { ts: r.ts, rig: r.rig, device: r.device };
      for (const f of wanted) out[f] = r[f] ?? null;
      return out;
    });
    return { rows, truncated: matched.length > q.limit };
  }
}

/** Default deps for a test API: silent, healthy, fixed clock; `over` replaces any of them. */
export function testDeps(over: Partial<ApiDeps> = {}): ApiDeps {
  return {
    state: new MemoryState(),
    history: null,
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: '' }),
    health: () => ({ status: 'ok', components: {} }),
    logger: false,
    version: '0.0.0-test',
    now: () => Date.UTC(2024, 4, 1, 12, 0, 0),
    ...over,
  };
}

/** Creates and starts an API on 127.0.0.1 port 0; returns it with its base URL. */
export async function startTestApi(deps: ApiDeps): Promise<{ api: Api; url: string }> {
  const api = createApi(deps);
  const { url } = await api.listen({ port: 0 });
  return { api, url };
}

/** One parsed SSE block: an event (`event`, `id`, `data`) or a comment. */
export interface SseMessage {
  readonly event?: string;
  readonly id?: string;
  readonly data?: string;
  readonly retry?: string;
  readonly comment?: string;
}

/** Splits an SSE text stream into messages, however the text was chunked. */
export class SseParser {
  #buffer = '';

  push(text: string): SseMessage[] {
    this.#buffer += text;
    const out: SseMessage[] = [];
    let end = this.#buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const msg: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) msg.comment = line.slice(1).trim();
        else {
          const colon = line.indexOf(':');
          const key = line.slice(0, colon);
          const value = line.slice(colon + 1).replace(/^ /, '');
          msg[key] = key === 'data' && msg.data !== undefined ? `${msg.data}\n${value}` : value;
        }
      }
      out.push(msg);
      end = this.#buffer.indexOf('\n\n');
    }
    return out;
  }
}

/** Reads SSE messages from a fetch body one at a time; `next()` is null at the end of the stream. */
export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  readonly #parser = new SseParser();
  readonly #queue: SseMessage[] = [];

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  async next(): Promise<SseMessage | null> {
    while (this.#queue.length === 0) {
      const { done, value } = await this.#reader.read();
      if (done) return null;
      this.#queue.push(...this.#parser.push(this.#decoder.decode(value, { stream: true })));
    }
    return this.#queue.shift() as SseMessage;
  }

  /** The next message that is an event (skipping the retry hint and heartbeats). */
  async nextEvent(): Promise<SseMessage | null> {
    for (;;) {
      const m = await this.next();
      if (m === null || m.event !== undefined) return m;
    }
  }

  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}

/** The JSON body of an error reply. */
export interface ErrorJson {
  readonly error: { readonly code: string; readonly message: string; readonly param?: string };
}

/** The JSON body of `res`, typed as the test expects it (the assertions check it at run time). */
export function readJson<T = ErrorJson>(res: Response): Promise<T> {
  return res.json() as Promise<T>;
}
