// A stratum v1 latency probe: open a TCP (or TLS) connection to a pool, send one `mining.subscribe`
// and time the round trip to the reply with the same id. Never authorizes, never submits a share.

import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { type ErrorWhere, SourceError, type SourceErrorKind } from '../../core/errors.ts';

/** The JSON-RPC id of the probe's only request. */
export const SUBSCRIBE_ID = 1;

/** Options of `probeSubscribe`. Times in milliseconds. */
export interface SubscribeProbeOptions {
  readonly host: string;
  readonly port: number;
  /** Wrap the connection in TLS (`stratum+ssl`); default false. */
  readonly tls?: boolean;
  /** TLS only: verify the pool's certificate; default true. */
  readonly rejectUnauthorized?: boolean;
  /** Time allowed for connect plus reply. */
  readonly timeoutMs: number;
  /** Aborts the probe (kind 'timeout', the signal's reason as cause). */
  readonly signal?: AbortSignal;
  /** Monotonic clock in ms; default `performance.now`. Tests inject a scripted one. */
  readonly monotonicMs?: () => number;
  /** The user agent sent as the subscribe parameter; default 'rigtune/0.1'. */
  readonly userAgent?: string;
  /** Longest line accepted before the reply; default 16 KiB. */
  readonly maxLineBytes?: number;
}

export interface SubscribeProbeResult {
  /** Subscribe sent → reply with id 1 received, ms. */
  readonly latencyMs: number;
  /** Connection start → connected (TLS: handshake done), ms. */
  readonly connectMs: number;
  /** The reply's `error` member (null when the pool accepted the subscribe). */
  readonly replyError: unknown;
  /** Notifications (`mining.set_difficulty` …) received before the reply, ignored. */
  readonly notificationsBefore: number;
}

/** The one line the probe sends. */
export function subscribeLine(userAgent = 'rigtune/0.1'): string {
  return `${JSON.stringify({ id: SUBSCRIBE_ID, method: 'mining.subscribe', params: [userAgent] })}\n`;
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

function kindOf(err: unknown, connected: boolean): SourceErrorKind {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (CONNECT_CODES.has(code) || /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_/.test(code)) return 'connect';
  if (code === 'ETIMEDOUT') return 'timeout';
  return connected ? 'reset' : 'connect';
}

function excerpt(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we escape.
  const flat = text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}

/** The reply to our request, a notification to skip, or garbage. */
function classifyLine(line: string): 'reply' | 'other' | 'garbage' {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return 'garbage';
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return 'garbage';
  const m = msg as Record<string, unknown>;
  const isOurs = (m.id === SUBSCRIBE_ID || m.id === String(SUBSCRIBE_ID)) && ('result' in m || 'error' in m);
  return isOurs ? 'reply' : 'other';
}

/**
 * Connects, subscribes and times the reply. Throws SourceError: 'connect' (refused, unreachable,
 * TLS), 'timeout' (no connection or no reply in time, or aborted), 'reset' (closed before replying),
 * 'protocol' (a line that is not JSON-RPC, or an over-long line).
 */
export function probeSubscribe(o: SubscribeProbeOptions): Promise<SubscribeProbeResult> {
  const now = o.monotonicMs ?? (() => performance.now());
  const maxLine = o.maxLineBytes ?? 16 * 1024;
  const label = `${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}`;
  const where: ErrorWhere = { command: 'mining.subscribe', device: `pool:${label}` };
  return new Promise((resolve, reject) => {
    let settled = false;
    let sentAt: number | null = null;
    let connectMs = 0;
    let notifications = 0;
    let buffer = '';
    const startedAt = now();
    const onAbort = (): void => fail('timeout', 'Probe aborted', o.signal?.reason);
    const socket: Socket = o.tls
      ? tlsConnect({
          host: o.host,
          port: o.port,
          servername: isIP(o.host) === 0 ? o.host : undefined,
          rejectUnauthorized: o.rejectUnauthorized ?? true,
        })
      : netConnect({ host: o.host, port: o.port });
    const timer = setTimeout(() => {
      const what = sentAt === null ? 'No connection' : 'No reply to mining.subscribe';
      fail('timeout', `${what} within ${o.timeoutMs} ms`);
    }, o.timeoutMs);
    function settle(err: SourceError | null, value?: SubscribeProbeResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err === null && value !== undefined) resolve(value);
      else reject(err);
    }
    function fail(kind: SourceErrorKind, message: string, cause?: unknown): void {
      settle(
        new SourceError(kind, `${message} (${label})`, where, cause === undefined ? undefined : { cause }),
      );
    }
    if (o.signal?.aborted) {
      fail('timeout', 'Probe aborted before it started', o.signal.reason);
      return;
    }
    o.signal?.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('utf8');
    socket.once(o.tls ? 'secureConnect' : 'connect', () => {
      socket.setNoDelay(true);
      sentAt = now();
      connectMs = sentAt - startedAt;
      socket.write(subscribeLine(o.userAgent));
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline >= 0 && !settled) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        if (line === '') continue;
        const kind = classifyLine(line);
        if (kind === 'garbage')
          return fail('protocol', `Pool sent a line that is not JSON-RPC: ${excerpt(line)}`);
        if (kind === 'other') {
          notifications += 1;
          continue;
        }
        const replyAt = now();
        const reply = JSON.parse(line) as Record<string, unknown>;
        settle(null, {
          latencyMs: replyAt - (sentAt ?? replyAt),
          connectMs,
          replyError: reply.error ?? null,
          notificationsBefore: notifications,
        });
      }
      if (!settled && Buffer.byteLength(buffer) > maxLine)
        fail('protocol', `Pool sent more than ${maxLine} bytes without a newline: ${excerpt(buffer)}`);
    });
    socket.on('error', (err) => fail(kindOf(err, sentAt !== null), err.message, err));
    socket.on('close', () => {
      const tail = buffer.trim() === '' ? '' : `; partial line: ${excerpt(buffer.trim())}`;
      fail(sentAt === null ? 'connect' : 'reset', `Pool closed the connection before replying${tail}`);
    });
  });
}
