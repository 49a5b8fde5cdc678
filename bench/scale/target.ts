// The Valkey the scale bench runs against: a loopback redis-server (default), a 3-master loopback cluster
// (`--cluster`), or given URLs (`--valkey url[,url…]`); plus emptying it between phases and reading the
// consumer group's backlog.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { openValkey, type ValkeyPort } from '../../src/runtime/scale/index.ts';
import { WORKER_GROUP } from '../../src/sinks/valkey-streams/index.ts';
import { REDIS_CLI_PATH, startRedisCluster } from '../../test/helpers/redis-cluster.ts';
import { startRedis } from '../../test/helpers/redis-server.ts';

const run = promisify(execFile);

export interface Target {
  /** `single` or `cluster(3)`, for the report. */
  readonly kind: string;
  readonly urls: readonly string[];
  readonly cluster: boolean;
  /** The main process's own connection (backlog queries, FLUSHALL). */
  readonly port: ValkeyPort;
  /** CPU seconds (user + system) all nodes have used (INFO cpu). */
  cpuS(): Promise<number>;
  /** Empties every node (FLUSHALL): each phase starts from no streams, leases or groups. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts (or connects to) the target. `external`: comma-separated URLs; several = a cluster. */
export async function openTarget(mode: 'single' | 'cluster', external: string | null): Promise<Target> {
  let urls: string[];
  let stopServer: () => Promise<void> = async () => undefined;
  let flushNode: ((port: ValkeyPort, i: number) => Promise<void>) | null = null;
  let info: ((i: number) => Promise<string>) | null = null;
  if (external !== null) {
    // Every node given is emptied and asked for its CPU: for a cluster, list every master.
    urls = external.split(',');
    const cli = (i: number, ...args: string[]) => {
      const u = new URL(urls[i] ?? '');
      return run(REDIS_CLI_PATH, ['-h', u.hostname, '-p', u.port || '6379', ...args]).then((r) => r.stdout);
    };
    flushNode = async (_p, i) => {
      await cli(i, 'FLUSHALL');
    };
    info = (i) => cli(i, 'INFO', 'cpu');
  } else if (mode === 'cluster') {
    // No AOF: the bench measures throughput, not durability (the tests cover restarts).
    const c = await startRedisCluster({ appendOnly: false });
    urls = c.rootNodes.map((n) => n.url);
    stopServer = () => c.stop();
    flushNode = async (_p, i) => {
      await c.cli(i, 'FLUSHALL');
    };
    info = (i) => c.cli(i, 'INFO', 'cpu');
  } else {
    const s = await startRedis();
    urls = [s.url];
    stopServer = () => s.stop();
    info = async () => String(await port.command('x', ['INFO', 'cpu']));
  }
  const cluster = mode === 'cluster' || urls.length > 1;
  const port = openValkey({ urls, cluster, reconnectMaxMs: 200 });
  await port.waitReady(AbortSignal.timeout(10_000));
  return {
    kind: cluster ? `cluster(${urls.length})` : 'single',
    urls,
    cluster,
    port,
    async cpuS() {
      if (info === null) return NaN;
      let total = 0;
      for (let i = 0; i < urls.length; i++) {
        const text = await info(i);
        for (const m of text.matchAll(/^used_cpu_(?:sys|user):([\d.]+)/gm)) total += Number(m[1]);
      }
      return total;
    },
    async flush() {
      if (flushNode === null) await port.command('x', ['FLUSHALL']);
      else for (let i = 0; i < urls.length; i++) await flushNode(port, i);
    },
    async stop() {
      await port.close();
      await stopServer();
    },
  };
}

/** A map reply (RESP3 object or Map, RESP2 flat array) as a Map. */
function mapOf(reply: unknown): Map<string, unknown> {
  if (reply instanceof Map) return new Map([...reply].map(([k, v]) => [String(k), v]));
  if (Array.isArray(reply)) {
    const m = new Map<string, unknown>();
    for (let i = 0; i + 1 < reply.length; i += 2) m.set(String(reply[i]), reply[i + 1]);
    return m;
  }
  return typeof reply === 'object' && reply !== null ? new Map(Object.entries(reply)) : new Map();
}

/** Entries of every partition stream not yet acknowledged by the worker group (undelivered + pending). */
export async function backlog(port: ValkeyPort, prefix: string, partitions: number): Promise<number> {
  let n = 0;
  for (let p = 0; p < partitions; p++) {
    const key = `${prefix}:snapshots:{${p}}`;
    const groups = await port.command(key, ['XINFO', 'GROUPS', key]).catch(() => []);
    const g = (Array.isArray(groups) ? groups : []).map(mapOf).find((m) => m.get('name') === WORKER_GROUP);
    const len = Number(await port.command(key, ['XLEN', key]));
    // lag is null when the server cannot tell (entries trimmed or deleted): count the stream then.
    const lag = g?.get('lag');
    n += g === undefined ? len : (typeof lag === 'number' ? lag : len) + Number(g.get('pending') ?? 0);
  }
  return n;
}
