// The Valkey Cluster side of the scale-out client port: one node-redis cluster client (createCluster) that
// routes each call by its first key, so the collector and workers run unchanged on a 3-master cluster.

import { createCluster } from 'redis';
import type { LuaScript } from '../../sinks/valkey-streams/index.ts';
import type { ValkeyClientOptions, ValkeyPort } from './valkey-client.ts';

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}

/** `urls` already in node-redis form (redis://, rediss://). */
function newCluster(o: ValkeyClientOptions, urls: readonly string[]) {
  const reconnectMaxMs = o.reconnectMaxMs ?? 5000;
  return createCluster({
    rootNodes: urls.map((url) => ({ url })),
    defaults: {
      // As on one server: commands to a node that is down fail fast, the caller spools or retries.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: o.connectTimeoutMs ?? 2000,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 16), reconnectMaxMs),
      },
    },
  });
}

type Cluster = ReturnType<typeof newCluster>;

/**
 * A cluster: seed nodes `urls`, the rest discovered (CLUSTER SLOTS); MOVED/ASK are followed by
 * node-redis. Ready means every master's connection is up: while one master restarts, callers see
 * `isReady` false and wait (`waitReady`) instead of spinning on refused commands.
 */
export class ClusterValkey implements ValkeyPort {
  readonly #o: ValkeyClientOptions;
  readonly #urls: readonly string[];
  readonly #cluster: Cluster;
  #closed = false;
  #connected = false;
  readonly #connecting: Promise<void>;

  constructor(o: ValkeyClientOptions, urls: readonly string[]) {
    this.#o = o;
    this.#urls = urls;
    this.#cluster = newCluster(o, urls);
    const report = (err: Error) => {
      if (!this.#closed) o.onError?.(err);
    };
    this.#cluster.on('error', report);
    this.#cluster.on('node-error', report);
    this.#connecting = this.#connect();
  }

  /** Discovery needs one seed node up; unlike a single client it does not retry by itself. */
  async #connect(): Promise<void> {
    for (let retries = 0; !this.#closed; retries++) {
      try {
        await this.#cluster.connect();
        this.#connected = true;
        // Closed while discovering: node clients made meanwhile would reconnect forever.
        if (this.#closed) this.#cluster.destroy();
        return;
      } catch (err) {
        if (this.#closed) return;
        this.#o.onError?.(err instanceof Error ? err : new Error(String(err)));
        const waitMs = Math.min(50 * 2 ** Math.min(retries, 16), this.#o.reconnectMaxMs ?? 5000);
        await new Promise((r) => setTimeout(r, waitMs));
      }
    }
  }

  get isReady(): boolean {
    if (this.#closed || !this.#connected || !this.#cluster.isReady) return false;
    const masters = this.#cluster.masters;
    return masters.length > 0 && masters.every((m) => m.client?.isReady === true);
  }

  command(key: string, args: readonly string[]): Promise<unknown> {
    return this.#cluster.sendCommand(key, false, [...args]);
  }

  async runScript(script: LuaScript, keys: readonly string[], argv: readonly string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...argv];
    // Each master keeps its own script cache: NOSCRIPT is answered per node.
    try {
      return await this.#cluster.sendCommand(keys[0], false, ['EVALSHA', script.sha1, ...tail]);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return await this.#cluster.sendCommand(keys[0], false, ['EVAL', script.text, ...tail]);
    }
  }

  /** Resolves once every master is connected (checked on node events and every 50 ms), or on abort. */
  waitReady(signal: AbortSignal): Promise<void> {
    if (this.isReady || this.#closed || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!this.isReady && !this.#closed && !signal.aborted) return;
        clearInterval(timer);
        signal.removeEventListener('abort', check);
        this.#cluster.off('node-ready', check);
        this.#cluster.off('connect', check);
        resolve();
      };
      const timer = setInterval(check, 50);
      signal.addEventListener('abort', check, { once: true });
      this.#cluster.on('node-ready', check);
      this.#cluster.on('connect', check);
    });
  }

  duplicate(): ValkeyPort {
    return new ClusterValkey(this.#o, this.#urls);
  }

  async close(timeoutMs = 1000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const cluster = this.#cluster;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    // A discovery in flight ends first (it destroys what it made, seeing #closed); close() waits for
    // replies to what was sent, and a dead node would make it wait forever: both bounded by `timeoutMs`.
    await Promise.race([this.#connecting, late]);
    if (cluster.isOpen) await Promise.race([cluster.close().catch(() => undefined), late]);
    clearTimeout(timer);
    // Whatever is left (node clients still reconnecting) goes now.
    if (cluster.isOpen || this.#connected) cluster.destroy();
  }
}
