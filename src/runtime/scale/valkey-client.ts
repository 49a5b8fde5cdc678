// The one place the scale-out roles create Valkey clients: a small port (command, script, duplicate for
// blocking reads) over node-redis, so the collector and workers run the same on one server or a cluster.

import { createClient } from 'redis';
import type { LuaScript, ScriptPort } from '../../sinks/valkey-streams/index.ts';
import { ClusterValkey } from './valkey-cluster.ts';

/** A Valkey connection as the scale-out roles use it; every call touches keys of one hash slot. */
export interface ValkeyPort extends ScriptPort {
  /** Another connection to the same server(s), for blocking reads (XREADGROUP BLOCK). */
  duplicate(): ValkeyPort;
  /** Closes (pending replies awaited up to `timeoutMs`, then dropped). Idempotent. */
  close(timeoutMs?: number): Promise<void>;
}

export interface ValkeyClientOptions {
  /** Server URLs (redis://, rediss://, valkey://, valkeys://); one = a single server. */
  readonly urls: readonly string[];
  /** Default 2000. */
  readonly connectTimeoutMs?: number;
  /** Cap of the reconnect backoff (50 ms doubling), ms. Default 5000. */
  readonly reconnectMaxMs?: number;
  /** Connection errors (refused, reset); the client keeps reconnecting by itself. */
  readonly onError?: (err: Error) => void;
  /** True: `urls` are seed nodes of a Valkey Cluster (valkey-cluster.ts). Default: true when several URLs. */
  readonly cluster?: boolean;
}

/** node-redis understands redis:// and rediss:// only. */
export function toRedisUrl(url: string): string {
  return url.replace(/^valkey:\/\//, 'redis://').replace(/^valkeys:\/\//, 'rediss://');
}

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}

function newClient(o: ValkeyClientOptions) {
  const reconnectMaxMs = o.reconnectMaxMs ?? 5000;
  return createClient({
    url: toRedisUrl(o.urls[0]),
    // Commands fail fast while offline: callers spool or retry, nothing waits hidden in a queue.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: o.connectTimeoutMs ?? 2000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 16), reconnectMaxMs),
    },
  });
}

type Client = ReturnType<typeof newClient>;

/** One server: one node-redis client. */
class SingleValkey implements ValkeyPort {
  readonly #o: ValkeyClientOptions;
  readonly #client: Client;
  #closed = false;

  constructor(o: ValkeyClientOptions) {
    this.#o = o;
    this.#client = newClient(o);
    this.#client.on('error', (err: Error) => {
      if (!this.#closed) o.onError?.(err);
    });
    // The first connect retries by itself; it rejects only when the client is closed.
    this.#client.connect().catch(() => undefined);
  }

  get isReady(): boolean {
    return !this.#closed && this.#client.isReady;
  }

  command(_key: string, args: readonly string[]): Promise<unknown> {
    return this.#client.sendCommand([...args]);
  }

  async runScript(script: LuaScript, keys: readonly string[], argv: readonly string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...argv];
    try {
      return await this.#client.sendCommand(['EVALSHA', script.sha1, ...tail]);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return await this.#client.sendCommand(['EVAL', script.text, ...tail]);
    }
  }

  waitReady(signal: AbortSignal): Promise<void> {
    if (this.isReady || this.#closed || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        this.#client.off('ready', done);
        resolve();
      };
      this.#client.once('ready', done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  duplicate(): ValkeyPort {
    return new SingleValkey(this.#o);
  }

  async close(timeoutMs = 1000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
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
}

/**
 * Opens a Valkey port (connecting in the background). One URL: a single server, unless `cluster`.
 * Several URLs, or `cluster: true`: a Valkey Cluster reached through those seed nodes. Throws
 * RangeError when there is no URL, or several without a cluster.
 */
export function openValkey(o: ValkeyClientOptions): ValkeyPort {
  if (o.urls.length > 0 && (o.cluster ?? o.urls.length > 1))
    return new ClusterValkey(o, o.urls.map(toRedisUrl));
  if (o.urls.length !== 1) throw new RangeError(`expected one Valkey URL, got ${o.urls.length}`);
  return new SingleValkey(o);
}
