// A real redis-server on 127.0.0.1 for tests: a free port, no persistence, a private temp dir; stop() and
// restart() on the same port let outage tests take the server away and bring it back.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Path of Debian's redis-server. */
export const REDIS_SERVER_PATH = '/usr/bin/redis-server';

/** A running (or stopped, between stop and restart) redis-server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Kills the server and waits for it to exit. Idempotent; removes the temp dir. */
  stop(): Promise<void>;
  /** Stops the server (if running) and starts a fresh, empty one on the same port. */
  restart(): Promise<void>;
  /** Kills the server (SIGKILL; its data is gone) but keeps the temp dir, so `restart` can follow. */
  kill(): Promise<void>;
  /**
   * `SHUTDOWN SAVE`: every command the server answered (or executed) is saved to its dump, which the
   * next `restart` loads, so an outage test can check that nothing was lost or written twice.
   */
  shutdownSave(): Promise<void>;
}

/** True when redis-server is installed (tests skip themselves otherwise). */
export function hasRedisServer(): boolean {
  return existsSync(REDIS_SERVER_PATH);
}

/** A TCP port that was free a moment ago (bind port 0, read it, close). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Sends one inline PING; true when the server answers +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (d) => {
      reply += d.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

function spawnServer(port: number, dir: string): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--dir', dir, '--enable-debug-command', 'local', '--loglevel', 'warning');
  return spawn(REDIS_SERVER_PATH, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function waitForPing(child: ChildProcess, port: number, stderr: () => string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${stderr()}`);
    if (await ping(port)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`redis-server on port ${port} did not answer PING: ${stderr()}`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts redis-server on a free loopback port (`--save '' --appendonly no`, DEBUG allowed from
 * loopback) and resolves once it answers PING. Call `stop()` in `after()`.
 */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  let stderr = '';
  const launch = async () => {
    stderr = '';
    mkdirSync(dir, { recursive: true });
    const c = spawnServer(port, dir);
    c.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    child = c;
    await waitForPing(c, port, () => stderr);
  };
  const kill = async () => {
    const c = child;
    child = null;
    if (c === null) return;
    const gone = exited(c);
    c.kill('SIGKILL');
    await gone;
  };
  const shutdownSave = async () => {
    const c = child;
    if (c === null) return;
    const gone = exited(c);
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    socket.once('connect', () => socket.write('SHUTDOWN SAVE\r\n'));
    await gone;
    socket.destroy();
    child = null;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    shutdownSave,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await kill();
      await launch();
    },
  };
}

/**
 * Polls `predicate` every `intervalMs` until it holds; rejects with `what` after `timeoutMs` (a safety
 * net against hangs, never an assertion on speed).
 */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  { intervalMs = 5, timeoutMs = 20_000 }: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
