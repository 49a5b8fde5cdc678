// A real 3-master Redis/Valkey Cluster on 127.0.0.1 for tests: free ports, a private temp dir, AOF on so
// a master stopped and started again (`restartMaster`) rejoins with its slots and its acknowledged data.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, REDIS_SERVER_PATH, waitUntil } from './redis-server.ts';

/** Path of Debian's redis-cli (package redis-tools, a dependency of redis-server). */
export const REDIS_CLI_PATH = '/usr/bin/redis-cli';

const run = promisify(execFile);

/** True when redis-server and redis-cli are installed (cluster tests skip themselves otherwise). */
export function hasRedisCluster(): boolean {
  return existsSync(REDIS_SERVER_PATH) && existsSync(REDIS_CLI_PATH);
}

/** One master of the cluster. */
export interface ClusterNode {
  /** Client port. */
  readonly port: number;
  /** Cluster bus port (`cluster-port`, Redis ≥ 7.0), chosen free rather than port + 10000. */
  readonly busPort: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
}

/** A running cluster; every method waits until the cluster is healthy again before it resolves. */
export interface RedisCluster {
  readonly nodes: readonly ClusterNode[];
  /** `[{ url }, …]`: pass as `createCluster({ rootNodes })`. */
  readonly rootNodes: readonly { url: string }[];
  /**
   * Stops master `i` and starts it again on the same ports, config file and dir; resolves once every
   * node reports `cluster_state:ok` and sees it connected. `SIGTERM` (default) shuts down cleanly
   * (the AOF is flushed); `SIGKILL` kills it, and with `appendfsync always` (the default here) every
   * write it acknowledged is still in its AOF.
   */
  restartMaster(i: number, signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Stops master `i` (its slots are unserved until `startMaster`). */
  stopMaster(i: number, signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts master `i` again after `stopMaster`; resolves once the cluster is ok on every node. */
  startMaster(i: number): Promise<void>;
  /** The index of the master serving hash slot `slot` (from `CLUSTER SHARDS` on a live node). */
  masterOfSlot(slot: number): Promise<number>;
  /** Runs redis-cli against master `i` and returns its raw output (e.g. `cli(0, 'DBSIZE')`). */
  cli(i: number, ...args: string[]): Promise<string>;
  /** Kills every node and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** Options of `startRedisCluster`. */
export interface ClusterOptions {
  /** Masters, ≥ 3 (`redis-cli --cluster create` refuses fewer). Default 3. */
  readonly masters?: number;
  /** `cluster-node-timeout`, ms. Default 2000. */
  readonly nodeTimeoutMs?: number;
  /** AOF on (`appendonly yes`, `appendfsync always`). Default true: a restarted master keeps its data. */
  readonly appendOnly?: boolean;
}

/** CRC16/XMODEM, the checksum Redis Cluster hashes keys with. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The hash slot (0-16383) of a key, honouring a `{hash tag}` as Redis does (first `{`, next `}`, non-empty). */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  let hashed = key;
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) hashed = key.slice(open + 1, close);
  }
  return crc16(new TextEncoder().encode(hashed)) % 16384;
}

interface NodeProcess {
  readonly node: ClusterNode;
  readonly dir: string;
  child: ChildProcess | null;
  stderr: string;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function cliAt(port: number, args: readonly string[]): Promise<string> {
  const { stdout } = await run(REDIS_CLI_PATH, ['-h', '127.0.0.1', '-p', String(port), ...args], {
    timeout: 5000,
  });
  return stdout;
}

/** `CLUSTER INFO` of a node as a record, or null when it does not answer. */
async function clusterInfo(port: number): Promise<Record<string, string> | null> {
  try {
    const text = await cliAt(port, ['CLUSTER', 'INFO']);
    const info: Record<string, string> = {};
    for (const line of text.split(/\r?\n/)) {
      const at = line.indexOf(':');
      if (at > 0) info[line.slice(0, at)] = line.slice(at + 1).trim();
    }
    return info;
  } catch {
    return null; // not up yet, or down: the caller keeps waiting
  }
}

/** True when every node says ok, has all slots, and knows all peers as connected masters without fail flags. */
async function isHealthy(procs: readonly NodeProcess[]): Promise<boolean> {
  for (const p of procs) {
    const info = await clusterInfo(p.node.port);
    if (info === null || info.cluster_state !== 'ok' || info.cluster_slots_ok !== '16384') return false;
    if (info.cluster_known_nodes !== String(procs.length)) return false;
    const nodes = await cliAt(p.node.port, ['CLUSTER', 'NODES']).catch(() => '');
    const lines = nodes.split('\n').filter((l) => l.trim() !== '');
    if (lines.length !== procs.length) return false;
    if (lines.some((l) => l.includes('fail') || !l.includes(' connected'))) return false;
  }
  return true;
}

/**
 * Starts `masters` redis-server processes in cluster mode on free loopback ports, joins them with
 * `redis-cli --cluster create … --cluster-replicas 0`, and resolves once every node reports
 * `cluster_state:ok`. Call `stop()` in `after()`.
 */
export async function startRedisCluster(options: ClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 2000;
  const appendOnly = options.appendOnly ?? true;
  const root = mkdtempSync(join(tmpdir(), 'rigtune-cluster-'));
  const procs: NodeProcess[] = [];
  const used = new Set<number>();
  const pick = async () => {
    for (;;) {
      const p = await freePort();
      if (!used.has(p)) {
        used.add(p);
        return p;
      }
    }
  };
  for (let i = 0; i < masters; i++) {
    const port = await pick();
    const busPort = await pick();
    const dir = join(root, String(port));
    procs.push({ node: { port, busPort, url: `redis://127.0.0.1:${port}` }, dir, child: null, stderr: '' });
  }

  const launch = async (p: NodeProcess) => {
    mkdirSync(p.dir, { recursive: true });
    const { port, busPort } = p.node;
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'];
    args.push('--cluster-port', String(busPort), '--cluster-config-file', join(root, `nodes-${port}.conf`));
    args.push('--cluster-node-timeout', String(nodeTimeoutMs), '--save', '', '--dir', p.dir);
    args.push('--appendonly', appendOnly ? 'yes' : 'no', '--appendfsync', 'always', '--loglevel', 'warning');
    p.stderr = '';
    const child = spawn(REDIS_SERVER_PATH, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d) => {
      p.stderr += String(d);
    });
    p.child = child;
    await waitUntil(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`redis-server ${port} exited (${child.exitCode}): ${p.stderr}`);
        return (await clusterInfo(port)) !== null;
      },
      `cluster node ${port} answers`,
      { intervalMs: 10, timeoutMs: 10_000 },
    );
  };
  const halt = async (p: NodeProcess, signal: 'SIGTERM' | 'SIGKILL') => {
    const c = p.child;
    p.child = null;
    if (c === null) return;
    const gone = exited(c);
    c.kill(signal);
    await gone;
  };
  const healthy = (what: string) =>
    waitUntil(() => isHealthy(procs), what, { intervalMs: 25, timeoutMs: 20_000 });
  const at = (i: number) => {
    const p = procs[i];
    if (p === undefined) throw new RangeError(`no master ${i} (cluster of ${procs.length})`);
    return p;
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(procs.map((p) => halt(p, 'SIGKILL')));
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await Promise.all(procs.map(launch));
    const addresses = procs.map((p) => `127.0.0.1:${p.node.port}`);
    await run(
      REDIS_CLI_PATH,
      ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
      {
        timeout: 20_000,
      },
    );
    await healthy('the new cluster is ok on every node');
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    nodes: procs.map((p) => p.node),
    rootNodes: procs.map((p) => ({ url: p.node.url })),
    async stopMaster(i, signal = 'SIGTERM') {
      await halt(at(i), signal);
    },
    async startMaster(i) {
      await launch(at(i));
      await healthy(`master ${i} rejoined and the cluster is ok`);
    },
    async restartMaster(i, signal = 'SIGTERM') {
      await halt(at(i), signal);
      await launch(at(i));
      await healthy(`master ${i} rejoined and the cluster is ok`);
    },
    async masterOfSlot(slot) {
      for (const [index, p] of procs.entries()) {
        if (p.child === null) continue;
        const text = await cliAt(p.node.port, ['CLUSTER', 'NODES']).catch(() => '');
        const mine = text.split('\n').find((l) => l.includes('myself'));
        // Fields 9… of a CLUSTER NODES line are the node's slot ranges: `0-5460` or a single `5461`.
        for (const range of (mine ?? '').trim().split(' ').slice(8)) {
          const [lo, hi = lo] = range.split('-').map(Number);
          if (lo !== undefined && hi !== undefined && slot >= lo && slot <= hi) return index;
        }
      }
      throw new Error(`no live master serves slot ${slot}`);
    },
    cli: (i, ...args) => cliAt(at(i).node.port, args),
    stop,
  };
}
