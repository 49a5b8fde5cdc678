// The cgminer-family TCP client: one request per connection (connect, write, read until the miner
// closes or sends its NUL terminator, close), bounded in time and size, failing with a SourceError kind.

import { createConnection, type Socket } from 'node:net';
import { type ErrorWhere, SourceError, type SourceErrorKind } from '../../core/errors.ts';
import { type MinerLocks, sharedMinerLocks } from './miner-locks.ts';
import type { QuirkName } from './quirks.ts';
import { readCgminerJson } from './reader.ts';
import { assertReplyOk } from './status.ts';
import { readCgminerText } from './text-reply.ts';

/** Options of one request. Times in milliseconds, sizes in bytes. */
export interface CgminerRequestOptions {
  /** `parameter` of the request (`"0"` for `devdetails`, a board number for LuxOS `healthchipget`). */
  readonly parameter?: string | number | boolean;
  /** Time allowed for the whole exchange, connect to last byte (waiting for the miner's lock excluded). */
  readonly timeoutMs: number;
  /** Time allowed for the TCP connection to open; default `timeoutMs`. */
  readonly connectTimeoutMs?: number;
  /** Aborts the wait for the lock or the exchange; the failure then has kind 'timeout'. */
  readonly signal?: AbortSignal;
  /** true (default): send `{"command":…}` and read JSON; false: send `command|parameter`, read text. */
  readonly jsonFraming?: boolean;
  /** Largest reply accepted; default 4 MiB (Whatsminer per-chip `stats` are ~100 KiB). */
  readonly maxReplyBytes?: number;
  /** The per-miner locks to queue on; default the process-wide `sharedMinerLocks`. */
  readonly locks?: MinerLocks;
}

/** A decoded, status-checked reply. */
export interface CgminerReply {
  readonly command: string;
  /** The parsed reply (for `a+b` commands: `{ a: [reply], b: [reply], id }`, parts not yet checked). */
  readonly value: unknown;
  /** Repairs the reader made (see quirks.ts). */
  readonly quirks: readonly QuirkName[];
  /** Reply size on the wire, bytes. */
  readonly bytes: number;
}

const DEFAULT_MAX_REPLY_BYTES = 4 << 20;
const COMMAND = /^[A-Za-z0-9_.+-]{1,200}$/;

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * The SourceError kind of an OS socket error: refused/unreachable/DNS → 'connect', ETIMEDOUT →
 * 'timeout', reset/broken pipe → 'reset'; anything else → 'reset' once connected, else 'connect'.
 */
export function kindOfSocketError(err: unknown, connected: boolean): SourceErrorKind {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (CONNECT_CODES.has(code)) return 'connect';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (RESET_CODES.has(code)) return 'reset';
  return connected ? 'reset' : 'connect';
}

/** The request bytes for `command` in the chosen framing. */
export function encodeRequest(
  command: string,
  parameter: CgminerRequestOptions['parameter'],
  json: boolean,
): string {
  if (!json) return parameter === undefined ? command : `${command}|${String(parameter)}`;
  return JSON.stringify(parameter === undefined ? { command } : { command, parameter: String(parameter) });
}

function exchange(host: string, port: number, request: string, o: CgminerRequestOptions, where: ErrorWhere) {
  const label = `${host}:${port}`;
  const totalMs = o.timeoutMs;
  const connectMs = o.connectTimeoutMs ?? o.timeoutMs;
  const maxBytes = o.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timers: NodeJS.Timeout[] = [];
    let bytes = 0;
    let connected = false;
    let settled = false;
    let socket: Socket | undefined;
    const onAbort = () => fail('timeout', 'Request aborted', o.signal?.reason);
    function finish(err: SourceError | null): void {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      o.signal?.removeEventListener('abort', onAbort);
      socket?.destroy();
      if (err === null) resolve(Buffer.concat(chunks));
      else reject(err);
    }
    function fail(kind: SourceErrorKind, message: string, cause?: unknown): void {
      finish(
        new SourceError(kind, `${message} (${label})`, where, cause === undefined ? undefined : { cause }),
      );
    }
    if (o.signal?.aborted) {
      fail('timeout', 'Request aborted before it started', o.signal.reason);
      return;
    }
    o.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(setTimeout(() => fail('timeout', `No complete reply within ${totalMs} ms`), totalMs));
    const connectTimer = setTimeout(() => {
      if (!connected) fail('timeout', `Could not connect within ${connectMs} ms`);
    }, connectMs);
    timers.push(connectTimer);
    socket = createConnection({ host, port });
    socket.on('connect', () => {
      connected = true;
      socket?.write(request);
    });
    socket.on('data', (chunk: Buffer) => {
      const nul = chunk.indexOf(0);
      // The reply ends at the peer's close or at its NUL terminator; bytes after a NUL are ignored.
      const part = nul >= 0 ? chunk.subarray(0, nul + 1) : chunk;
      bytes += part.length;
      if (bytes > maxBytes) {
        fail('protocol', `Reply exceeds the ${maxBytes}-byte limit`);
        return;
      }
      chunks.push(part);
      if (nul >= 0) finish(null);
    });
    socket.on('end', () => {
      if (bytes > 0) finish(null);
      else fail('reset', 'Miner closed the connection without replying (is this host allowed by api-allow?)');
    });
    socket.on('error', (err) => fail(kindOfSocketError(err, connected), err.message, err));
    socket.on('close', () => fail('reset', `Connection closed after ${bytes} reply bytes`));
  });
}

/**
 * Sends one command to a cgminer-family API and returns the decoded reply. Waits (FIFO) while
 * another request to the same `host:port` is in flight, so a miner sees one connection at a time.
 *
 * @param command a read command (`summary`, `stats`, `devs`, `pools`, `version`…) or several joined
 *   by `+` (`summary+stats`); for the joined form only the top-level status is checked
 * @throws SourceError kind 'connect' (refused, unreachable, DNS), 'timeout' (connect or total time,
 *   or `signal` aborted), 'reset' (closed or reset before a reply), 'protocol' (garbage, HTML,
 *   truncated, too big), 'status' (STATUS `E`/`F`, with the miner's message)
 */
export async function cgminerRequest(
  host: string,
  port: number,
  command: string,
  options: CgminerRequestOptions,
): Promise<CgminerReply> {
  const where: ErrorWhere = { command };
  if (!COMMAND.test(command))
    throw new SourceError(
      'unsupported',
      `Not a cgminer command: ${JSON.stringify(command).slice(0, 60)}`,
      where,
    );
  const json = options.jsonFraming ?? true;
  const locks = options.locks ?? sharedMinerLocks;
  const release = await locks.acquire(`${host}:${port}`, options.signal);
  let raw: Buffer;
  try {
    raw = await exchange(host, port, encodeRequest(command, options.parameter, json), options, where);
  } finally {
    release();
  }
  const decoded = json ? readCgminerJson(raw, where) : readCgminerText(raw, command, where);
  assertReplyOk(decoded.value, command, where);
  return { command, value: decoded.value, quirks: decoded.quirks, bytes: raw.length };
}
