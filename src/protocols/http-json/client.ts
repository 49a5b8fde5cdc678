// A small HTTP(S) GET client for JSON APIs (miner stats, pool worker stats) on node:http: bounded in
// time and size, honouring an AbortSignal, and failing with a SourceError whose kind says what broke.

import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { type ErrorWhere, RigtuneError, SourceError, type SourceErrorKind } from '../../core/errors.ts';
import { excerptOf, htmlTitleOf, redactUrl } from './excerpt.ts';

/** Options of `getJson`. Times in milliseconds, sizes in bytes. */
export interface HttpGetOptions {
  /** Time allowed for the TCP connection to open; default 2000 ms. */
  readonly connectTimeoutMs?: number;
  /** Time allowed for the whole exchange, connect to last body byte; default 5000 ms. */
  readonly timeoutMs?: number;
  /** Largest body accepted; a bigger one fails with kind 'protocol'. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Aborts the request; the failure then has kind 'timeout' and the signal's reason as cause. */
  readonly signal?: AbortSignal;
  /** Extra request headers (never echoed in errors). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as `Authorization: Bearer <token>` (XMRig's access token); never echoed in errors. */
  readonly bearerToken?: string;
  /** HTTPS only: verify the server certificate; default true. */
  readonly rejectUnauthorized?: boolean;
}

/** A decoded 2xx reply. */
export interface HttpJsonReply {
  readonly status: number;
  /** The parsed JSON value. */
  readonly body: unknown;
  /** Body size in bytes. */
  readonly bytes: number;
  /** The Content-Type header, or null when absent. */
  readonly contentType: string | null;
}

/** A non-2xx reply: kind 'status', with the HTTP status and an excerpt of the body. */
export class HttpStatusError extends SourceError {
  readonly status: number;
  readonly excerpt: string;

  constructor(status: number, message: string, where: ErrorWhere, excerpt: string) {
    super('status', message, where);
    this.name = 'HttpStatusError';
    this.status = status;
    this.excerpt = excerpt;
  }
}

/** A reply as read off the wire, before any status or body check (see `fetchBody`). */
export interface RawReply {
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string | null;
  readonly buffer: Buffer;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 2000;
const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BODY_BYTES = 1 << 20;

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

function codeOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
}

/** The kind of a socket or parser error; `hasResponse` tells a mid-body failure from a connect one. */
export function kindOfSocketError(err: unknown, hasResponse: boolean): SourceErrorKind {
  const code = codeOf(err);
  if (CONNECT_CODES.has(code)) return 'connect';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (RESET_CODES.has(code)) return 'reset';
  if (code.startsWith('HPE_')) return 'protocol';
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_/.test(code)) return 'connect';
  return hasResponse ? 'reset' : 'connect';
}

function describeSocketError(err: unknown): string {
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  let text = code && !message.includes(code) ? `${code}: ${message}` : message;
  const raw = typeof err === 'object' && err !== null && 'rawPacket' in err ? err.rawPacket : undefined;
  if (raw instanceof Uint8Array) text += `; reply began: ${excerptOf(Buffer.from(raw).toString('latin1'))}`;
  return text;
}

/** Parses `url`; RT_CONFIG_INVALID when it is not a valid http: or https: URL. */
export function toUrl(url: string | URL): URL {
  let target: URL;
  try {
    target = typeof url === 'string' ? new URL(url) : url;
  } catch (err) {
    throw new RigtuneError(
      'RT_CONFIG_INVALID',
      `Not a valid URL: ${excerptOf(String(url), 80)}`,
      {},
      { cause: err },
    );
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new RigtuneError(
      'RT_CONFIG_INVALID',
      `Only http: and https: URLs are supported, not ${target.protocol}`,
    );
  return target;
}

/**
 * One bounded exchange with `target`: `method` (default GET) and an optional request body sent as
 * `application/json`. Resolves with any status; throws SourceError for transport failures only.
 */
export function fetchBody(
  target: URL,
  o: HttpGetOptions,
  method = 'GET',
  payload?: Uint8Array,
): Promise<RawReply> {
  const where: ErrorWhere = { command: target.pathname };
  const label = redactUrl(target);
  const connectMs = o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const totalMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return new Promise<RawReply>((resolve, reject) => {
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    let hasResponse = false;
    let req: ClientRequest | undefined;
    const onAbort = (): void => fail('timeout', 'Request aborted', o.signal?.reason);
    function finish(err: SourceError | null, value?: RawReply): void {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      o.signal?.removeEventListener('abort', onAbort);
      if (err === null && value !== undefined) resolve(value);
      else {
        req?.destroy();
        reject(err);
      }
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

    const headers: Record<string, string> = { Accept: 'application/json', Connection: 'close', ...o.headers };
    if (o.bearerToken !== undefined) headers.Authorization = `Bearer ${o.bearerToken}`;
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    req = send(target, {
      method,
      headers,
      agent: false,
      rejectUnauthorized: o.rejectUnauthorized ?? true,
    });
    req.on('socket', (socket: Socket) => {
      if (!socket.connecting) return;
      const t = setTimeout(() => fail('timeout', `Could not connect within ${connectMs} ms`), connectMs);
      timers.push(t);
      socket.once('connect', () => clearTimeout(t));
    });
    req.on('error', (err) => fail(kindOfSocketError(err, hasResponse), describeSocketError(err), err));
    req.on('response', (res: IncomingMessage) => {
      hasResponse = true;
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        fail('protocol', `Reply body of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
        return;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > maxBytes) fail('protocol', `Reply body exceeds the ${maxBytes}-byte limit`);
        else chunks.push(chunk);
      });
      res.on('error', (err) => fail('reset', `Connection closed mid-reply after ${bytes} body bytes`, err));
      res.on('close', () => {
        if (!res.complete) fail('reset', `Connection closed mid-reply after ${bytes} body bytes`);
      });
      res.on('end', () =>
        finish(null, {
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          contentType: res.headers['content-type'] ?? null,
          buffer: Buffer.concat(chunks),
        }),
      );
    });
    req.end(payload);
  });
}

/** Parses a reply body as JSON; HTML, empty or malformed bodies throw SourceError('protocol'). */
export function decodeJsonBody(buffer: Uint8Array, where: ErrorWhere = {}, label = ''): unknown {
  const from = label === '' ? '' : ` (${label})`;
  const text = Buffer.from(buffer)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const trimmed = text.trim();
  if (trimmed === '') throw new SourceError('protocol', `Empty reply body, expected JSON${from}`, where);
  if (trimmed.startsWith('<')) {
    const title = htmlTitleOf(trimmed);
    const titled = title === null ? '' : ` titled "${title}"`;
    throw new SourceError(
      'protocol',
      `HTML page${titled} instead of JSON${from}: ${excerptOf(trimmed)}`,
      where,
    );
  }
  try {
    return JSON.parse(trimmed);
  } catch (err) {
    const reason = err instanceof Error ? excerptOf(err.message, 80) : 'invalid JSON';
    const position = err instanceof Error ? /position (\d+)/.exec(err.message) : null;
    const at = position ? { ...where, offset: Number(position[1]) } : where;
    const message = `Reply is not JSON (${reason})${from}: ${excerptOf(trimmed)}`;
    throw new SourceError('protocol', message, at, { cause: err });
  }
}

/**
 * GETs `url` and parses the JSON body. Throws SourceError: 'connect' (refused, unreachable, DNS, TLS),
 * 'timeout' (connect or total time exceeded, or `signal` aborted), 'reset' (closed mid-reply),
 * 'protocol' (garbage, HTML, non-JSON, body over the limit), HttpStatusError (kind 'status') for a
 * non-2xx status; RT_CONFIG_INVALID for a URL that is not http(s).
 */
export async function getJson(url: string | URL, options: HttpGetOptions = {}): Promise<HttpJsonReply> {
  const target = toUrl(url);
  const reply = await fetchBody(target, options);
  const where: ErrorWhere = { command: target.pathname };
  if (reply.status < 200 || reply.status > 299) {
    const text = reply.buffer.toString('utf8');
    const title = htmlTitleOf(text);
    const excerpt = excerptOf(title ?? text);
    const detail = excerpt === '' ? '' : `: ${excerpt}`;
    const message = `HTTP ${reply.status} ${reply.statusText}`.trim();
    throw new HttpStatusError(reply.status, `${message} (${redactUrl(target)})${detail}`, where, excerpt);
  }
  const body = decodeJsonBody(reply.buffer, where, redactUrl(target));
  return { status: reply.status, body, bytes: reply.buffer.length, contentType: reply.contentType };
}
