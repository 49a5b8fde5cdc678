// One server-sent-events client: rig states are written as they come while the socket keeps up; once
// a write is refused (buffer full) only the newest state per rig is held until 'drain', so a slow
// client costs at most one state per rig, never an unbounded queue.

import type { RigState } from '../core/sink.ts';

/** Where the events go: a ServerResponse in the API, a fake in tests. */
export interface SseTarget {
  /** Writes `chunk`; false when the buffer is over its high-water mark (the chunk is still taken). */
  write(chunk: string): boolean;
}

/** Counters of one stream (for the collector metrics and tests). */
export interface SseStats {
  /** States written to the target. */
  readonly sent: number;
  /** States replaced by a newer state of the same rig before they could be written. */
  readonly dropped: number;
  /** States held while the target is blocked (at most one per rig). */
  readonly pending: number;
  /** True from a refused write until the next `drain()`. */
  readonly blocked: boolean;
}

/** One SSE event of a rig state (`id` counts events of this stream from 1). */
export function formatStateEvent(id: number, state: RigState): string {
  // JSON.stringify never emits a raw newline, so the data fits on one `data:` line.
  return `id: ${id}\nevent: state\ndata: ${JSON.stringify(state)}\n\n`;
}

/** The SSE comment sent as a heartbeat (keeps proxies from closing an idle stream). */
export const HEARTBEAT = ': heartbeat\n\n';

export class LatestStateStream {
  readonly #target: SseTarget;
  readonly #pending = new Map<string, RigState>();
  #blocked = false;
  #nextId = 1;
  #sent = 0;
  #dropped = 0;

  constructor(target: SseTarget) {
    this.#target = target;
  }

  /** Writes `state` now, or holds it as its rig's newest while blocked (replacing an older one). */
  push(state: RigState): void {
    if (this.#blocked) {
      if (this.#pending.delete(state.rig)) this.#dropped++;
      this.#pending.set(state.rig, state); // re-inserted last: pending states go out in arrival order
      return;
    }
    this.#write(state);
  }

  /** The target drained: writes the held states, oldest arrival first, until blocked again. */
  drain(): void {
    this.#blocked = false;
    for (const [rig, state] of this.#pending) {
      if (this.#blocked) break;
      this.#pending.delete(rig);
      this.#write(state);
    }
  }

  /** Writes a heartbeat comment unless blocked (a blocked client gets data on drain anyway). */
  heartbeat(): void {
    if (!this.#blocked && !this.#target.write(HEARTBEAT)) this.#blocked = true;
  }

  stats(): SseStats {
    return { sent: this.#sent, dropped: this.#dropped, pending: this.#pending.size, blocked: this.#blocked };
  }

  #write(state: RigState): void {
    this.#sent++;
    if (!this.#target.write(formatStateEvent(this.#nextId++, state))) this.#blocked = true;
  }
}
