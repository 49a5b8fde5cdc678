// The open SSE streams of one API: one heartbeat timer for all of them, counters for the collector
// metrics, and closing every stream when the server shuts down (an open stream would hold it up).

import { LatestStateStream, type SseTarget } from './sse.ts';

/** Totals over the streams of one API, closed ones included. */
export interface StreamHubStats {
  /** Streams open now. */
  readonly clients: number;
  readonly sent_total: number;
  /** States a slow client skipped because a newer state of the same rig replaced them. */
  readonly dropped_total: number;
}

/** A stream's target plus how to end it. */
export interface HubTarget extends SseTarget {
  end(): void;
}

interface Client {
  readonly stream: LatestStateStream;
  readonly target: HubTarget;
}

export class StreamHub {
  readonly #clients = new Set<Client>();
  readonly #heartbeatMs: number;
  #timer: ReturnType<typeof setInterval> | null = null;
  #closedSent = 0;
  #closedDropped = 0;

  /** `heartbeatMs`: interval between heartbeat comments to every open stream. */
  constructor(heartbeatMs: number) {
    this.#heartbeatMs = heartbeatMs;
  }

  /** Opens a stream to `target`; the returned function removes it (call it when the client goes). */
  open(target: HubTarget): { stream: LatestStateStream; remove: () => void } {
    const client: Client = { stream: new LatestStateStream(target), target };
    this.#clients.add(client);
    if (this.#timer === null) {
      this.#timer = setInterval(() => {
        for (const c of this.#clients) c.stream.heartbeat();
      }, this.#heartbeatMs);
      this.#timer.unref();
    }
    return { stream: client.stream, remove: () => this.#remove(client) };
  }

  /** Ends every open stream (server shutdown); their close handlers then remove them. */
  endAll(): void {
    for (const c of [...this.#clients]) {
      c.target.end();
      this.#remove(c);
    }
  }

  stats(): StreamHubStats {
    let sent = this.#closedSent;
    let dropped = this.#closedDropped;
    for (const c of this.#clients) {
      const s = c.stream.stats();
      sent += s.sent;
      dropped += s.dropped;
    }
    return { clients: this.#clients.size, sent_total: sent, dropped_total: dropped };
  }

  #remove(client: Client): void {
    if (!this.#clients.delete(client)) return;
    const s = client.stream.stats();
    this.#closedSent += s.sent;
    this.#closedDropped += s.dropped;
    if (this.#clients.size === 0 && this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }
}
