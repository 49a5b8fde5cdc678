// `rigtune doctor`'s Valkey check: connect, PING, server version, write/read/delete a scratch key,
// and say plainly why not — refused, wrong or missing password, no answer in time.

import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { type CheckResult, errnoOf, messageOf } from './types.ts';

/** A PING slower than this is a warning (the sink pipelines per tick, but every tick waits for it). */
export const SLOW_PING_MS = 100;

/** `host:port` of a redis:// or valkey:// URL, without user or password. */
export function endpointOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port === '' ? '6379' : u.port}`;
  } catch {
    return '(unparseable URL)';
  }
}

class StepTimeout extends Error {}

/** `work`, or a StepTimeout after `ms`. */
async function within<T>(work: Promise<T>, ms: number, step: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeout(step)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The plain reason a Valkey step failed. */
function explain(err: unknown, at: string, timeoutMs: number): string {
  const text = messageOf(err);
  const code = errnoOf(err);
  if (err instanceof StepTimeout || /timeout/i.test(err instanceof Error ? err.name : ''))
    return `no answer from ${at} within ${timeoutMs} ms (${err instanceof StepTimeout ? text : 'connect'}): wrong address, a firewall dropping packets, or a server that is not Valkey/Redis`;
  if (code === 'ECONNREFUSED')
    return `connection refused at ${at}: is Valkey (or redis-server) running and listening there?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host of ${at} not found (DNS): check the URL`;
  if (/^WRONGPASS/.test(text))
    return `authentication failed at ${at}: the user or password in the URL (or url_env) is wrong`;
  if (/^NOAUTH/.test(text))
    return `${at} needs a password: put it in the URL (redis://:PASSWORD@host:port) or in the url_env variable`;
  if (/^NOPERM/.test(text))
    return `${at} refuses a command to this user (ACL): it needs SET, GET, DEL, XADD, PUBLISH`;
  return `${at}: ${text}`;
}

/** Connects to `url`, checks PING, version and a scratch-key round trip; never throws. */
export async function checkValkey(url: string, o: { readonly timeoutMs: number }): Promise<CheckResult> {
  const at = endpointOf(url);
  const client = createClient({
    url: url.replace(/^valkey:\/\//, 'redis://').replace(/^valkeys:\/\//, 'rediss://'),
    disableOfflineQueue: true,
    socket: { connectTimeout: o.timeoutMs, reconnectStrategy: false },
  });
  // Connection errors also reach the awaited call; the event only needs a listener to not crash.
  client.on('error', () => undefined);
  try {
    await within(client.connect(), o.timeoutMs, 'connect');
    const t0 = performance.now();
    await within(client.ping(), o.timeoutMs, 'PING');
    const pingMs = Number((performance.now() - t0).toFixed(2));
    const info = await within(client.info('server'), o.timeoutMs, 'INFO');
    const product = /^valkey_version:/m.test(info) ? 'valkey' : 'redis';
    const version = /^(?:valkey|redis)_version:(\S+)/m.exec(info)?.[1] ?? 'unknown';
    const key = `rigtune:doctor:${randomBytes(6).toString('hex')}`;
    const value = randomBytes(8).toString('hex');
    await within(client.set(key, value, { PX: 60_000 }), o.timeoutMs, 'SET');
    const read = await within(client.get(key), o.timeoutMs, 'GET');
    const deleted = await within(client.del(key), o.timeoutMs, 'DEL');
    const details = { endpoint: at, product, version, ping_ms: pingMs };
    if (read !== value || deleted !== 1)
      return {
        check: 'valkey',
        status: 'fail',
        message: `${at} did not give back the scratch key it was sent (read ${JSON.stringify(read)}): is it a real Valkey/Redis?`,
        details,
      };
    const slow = pingMs > SLOW_PING_MS;
    return {
      check: 'valkey',
      status: slow ? 'warn' : 'ok',
      message:
        `${product} ${version} at ${at}: PING ${pingMs} ms${slow ? ' (slow: results will queue and spool)' : ''}, ` +
        'scratch key written, read back and deleted',
      details,
    };
  } catch (err) {
    return {
      check: 'valkey',
      status: 'fail',
      message: `${explain(err, at, o.timeoutMs)} (until it can write, the service spools results under data_dir)`,
      details: { endpoint: at, error: messageOf(err), code: errnoOf(err) ?? null },
    };
  } finally {
    // A client whose connect failed is already closed; there is nothing left to release then.
    if (client.isOpen) client.destroy();
  }
}
