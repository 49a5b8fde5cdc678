// One server-sent-events client: rig states, readings and advice records are written as they come while
// the socket keeps up; once a write is refused (buffer full) only the newest state and readings per rig
// and the newest record per advice episode are held until 'drain': a slow client never costs an unbounded queue.

import type { ControlRecord, RigState } from '../core/sink.ts';
import type { RigReadings } from './readings.ts';

/** Where the events go: a ServerResponse in the API, a fake in tests. */
export interface SseTarget {
  /** Writes `chunk`; false when the buffer is over its high-water mark (the chunk is still taken). */
  write(chunk: string): boolean;
}

/** Counters of one stream (for the collector metrics and tests). */
export interface SseStats {
  /** Events (states and advice) written to the target. */
  readonly sent: number;
  /**
   * Events replaced before they could be written: a state by a newer state of the same rig, an
   * advice record by a newer record of the same episode (or the oldest held one past the bound).
   */
  readonly dropped: number;
  /** Events held while the target is blocked (one per rig, one per advice episode). */
  readonly pending: number;
  /** True from a refused write until the next `drain()`. */
  readonly blocked: boolean;
}

/** Most advice records held for a blocked client; past it the oldest held one is dropped. */
export const MAX_PENDING_ADVICE = 1024;

type Held =
  | { readonly event: 'state'; readonly data: RigState }
  | { readonly event: 'readings'; readonly data: RigReadings }
  | { readonly event: 'advice'; readonly data: ControlRecord };

/** One SSE event of a rig state (`id` counts events of this stream from 1). */
export function formatStateEvent(id: number, state: RigState): string {
  // JSON.stringify never emits a raw newline, so the data fits on one `data:` line.
  return `id: ${id}\nevent: state\ndata: ${JSON.stringify(state)}\n\n`;
}

/** One SSE event of an advice record (raised, updated or cleared). */
export function formatAdviceEvent(id: number, record: ControlRecord): string {
  return `id: ${id}\nevent: advice\ndata: ${JSON.stringify(record)}\n\n`;
}

/** One SSE event of a rig tick's raw readings (power, temperatures, hashrate, fan per device). */
export function formatReadingsEvent(id: number, readings: RigReadings): string {
  return `id: ${id}\nevent: readings\ndata: ${JSON.stringify(readings)}\n\n`;
}

/** `older` with each device of `newer` put over it: the newest readings of every device of both. */
function merged(older: RigReadings, newer: RigReadings): RigReadings {
  const devices = new Map(older.devices.map((d) => [d.device, d]));
  for (const d of newer.devices) devices.set(d.device, d);
  return { rig: newer.rig, ts: Math.max(older.ts, newer.ts), devices: [...devices.values()] };
}

/** The SSE comment sent as a heartbeat (keeps proxies from closing an idle stream). */
export const HEARTBEAT = ': heartbeat\n\n';

export class LatestStateStream {
  readonly #target: SseTarget;
  /** Held events by key (`s` + rig, `a` + rig + episode id), in order of their latest arrival. */
  readonly #pending = new Map<string, Held>();
  #pendingAdvice = 0;
  #anonymous = 0;
  #blocked = false;
  #nextId = 1;
  #sent = 0;
  #dropped = 0;

  constructor(target: SseTarget) {
    this.#target = target;
  }

  /** Writes `state` now, or holds it as its rig's newest while blocked (replacing an older one). */
  push(state: RigState): void {
    if (this.#blocked) this.#hold(`s\u0000${state.rig}`, { event: 'state', data: state });
    else this.#write({ event: 'state', data: state });
  }

  /**
   * Writes a rig tick's readings now, or holds them as the rig's newest while blocked: a newer tick
   * replaces a held one device by device (a device missing from it keeps its held readings).
   */
  pushReadings(readings: RigReadings): void {
    if (!this.#blocked) {
      this.#write({ event: 'readings', data: readings });
      return;
    }
    const key = `r\u0000${readings.rig}`;
    const held = this.#pending.get(key);
    this.#hold(key, {
      event: 'readings',
      data: held?.event === 'readings' ? merged(held.data, readings) : readings,
    });
  }

  /**
   * Writes an advice record now, or holds it while blocked as its episode's newest (records sharing
   * `payload.id`; a record without one is its own episode). The newest record of an episode tells
   * its whole state, so a slow client still ends with every episode right.
   */
  pushAdvice(record: ControlRecord): void {
    if (!this.#blocked) {
      this.#write({ event: 'advice', data: record });
      return;
    }
    const id = record.payload.id;
    const episode = typeof id === 'string' ? id : `#${++this.#anonymous}`;
    this.#hold(`a\u0000${record.rig}\u0000${episode}`, { event: 'advice', data: record });
    if (this.#pendingAdvice > MAX_PENDING_ADVICE)
      for (const [key, held] of this.#pending)
        if (held.event === 'advice') {
          this.#pending.delete(key);
          this.#pendingAdvice--;
          this.#dropped++;
          break;
        }
  }

  /** The target drained: writes the held events, oldest arrival first, until blocked again. */
  drain(): void {
    this.#blocked = false;
    for (const [key, held] of this.#pending) {
      if (this.#blocked) break;
      this.#pending.delete(key);
      if (held.event === 'advice') this.#pendingAdvice--;
      this.#write(held);
    }
  }

  /** Writes a heartbeat comment unless blocked (a blocked client gets data on drain anyway). */
  heartbeat(): void {
    if (!this.#blocked && !this.#target.write(HEARTBEAT)) this.#blocked = true;
  }

  stats(): SseStats {
    return { sent: this.#sent, dropped: this.#dropped, pending: this.#pending.size, blocked: this.#blocked };
  }

  #hold(key: string, held: Held): void {
    const replaced = this.#pending.delete(key);
    if (replaced) this.#dropped++;
    else if (held.event === 'advice') this.#pendingAdvice++;
    this.#pending.set(key, held); // re-inserted last: held events go out in arrival order
  }

  #write(held: Held): void {
    this.#sent++;
    const id = this.#nextId++;
    const chunk =
      held.event === 'state'
        ? formatStateEvent(id, held.data)
        : held.event === 'readings'
          ? formatReadingsEvent(id, held.data)
          : formatAdviceEvent(id, held.data);
    if (!this.#target.write(chunk)) this.#blocked = true;
  }
}
