// The one node-redis client of the sink: connects in the background, reconnects with capped backoff,
// fails commands fast while offline (no hidden offline queue), and can be replaced when it stalls.

import { createClient } from 'redis';

/** A client that fails commands fast while offline and reconnects with capped backoff. */
function newClient(url: string, connectTimeoutMs: number, reconnectMaxMs: number) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 16), reconnectMaxMs),
    },
  });
}

/** The client type this module creates. */
export type ValkeyClient = ReturnType<typeof newClient>;

export interface ConnectionOptions {
  readonly url: string;
  readonly connectTimeoutMs: number;
  /** Cap of the reconnect backoff (50 ms doubling), ms. */
  readonly reconnectMaxMs: number;
}

/** What the connection tells its owner. */
export interface ConnectionEvents {
  ready(): void;
  /** A connection error (refused, reset, timeout); the client keeps retrying. */
  error(err: Error): void;
}

/** node-redis understands redis:// and rediss:// only. */
export function toRedisUrl(url: string): string {
  return url.replace(/^valkey:\/\//, 'redis://').replace(/^valkeys:\/\//, 'rediss://');
}

export class ValkeyConnection {
  readonly #options: ConnectionOptions;
  readonly #events: ConnectionEvents;
  #client: ValkeyClient;
  #waiters: Array<() => void> = [];
  #closed = false;
  #generation = 0;

  constructor(options: ConnectionOptions, events: ConnectionEvents) {
    this.#options = options;
    this.#events = events;
    this.#client = this.#start();
  }

  get client(): ValkeyClient {
    return this.#client;
  }

  get isReady(): boolean {
    return !this.#closed && this.#client.isReady;
  }

  /** Resolves once the client is ready, or when `signal` aborts or the connection closes. */
  waitReady(signal: AbortSignal): Promise<void> {
    if (this.isReady || this.#closed || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        this.#waiters = this.#waiters.filter((w) => w !== done);
        resolve();
      };
      this.#waiters.push(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Drops the current client (its pending commands fail) and connects a new one. */
  reset(): void {
    if (this.#closed) return;
    const old = this.#client;
    this.#client = this.#start();
    old.destroy();
  }

  /** Closes gracefully (pending replies are awaited up to `timeoutMs`), then for good. Idempotent. */
  async close(timeoutMs: number): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#wake();
    const client = this.#client;
    if (!client.isOpen) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    // close() waits for replies to what was sent; a dead server would make it wait forever.
    await Promise.race([client.close().catch(() => undefined), late]);
    clearTimeout(timer);
    if (client.isOpen) client.destroy();
  }

  #start(): ValkeyClient {
    const generation = ++this.#generation;
    const o = this.#options;
    const client = newClient(toRedisUrl(o.url), o.connectTimeoutMs, o.reconnectMaxMs);
    const current = () => generation === this.#generation && !this.#closed;
    client.on('error', (err: Error) => {
      if (current()) this.#events.error(err);
    });
    client.on('ready', () => {
      if (!current()) return;
      this.#wake();
      this.#events.ready();
    });
    // The first connect retries by itself; it rejects only when the client is destroyed or closed.
    client.connect().catch(() => undefined);
    return client;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
