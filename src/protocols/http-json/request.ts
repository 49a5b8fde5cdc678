// A bounded HTTP(S) request with any method and an optional JSON body (REST writes: Braiins OS
// public API login and set-points), sharing the GET client's transport, limits and error kinds.

import type { ErrorWhere } from '../../core/errors.ts';
import {
  decodeJsonBody,
  fetchBody,
  type HttpGetOptions,
  type HttpJsonReply,
  HttpStatusError,
  toUrl,
} from './client.ts';
import { excerptOf, htmlTitleOf, redactUrl } from './excerpt.ts';

/** HTTP methods a REST client sends. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Options of `requestJson`: those of `getJson` plus the JSON body to send. */
export interface HttpRequestOptions extends HttpGetOptions {
  /** Sent as `application/json` (JSON.stringify); undefined = no body. */
  readonly json?: unknown;
}

/**
 * Sends `method url` (with `options.json` as the body) and parses the JSON reply. An empty 2xx body
 * (204 No Content, or `Content-Length: 0`) gives `body: null`. Throws SourceError like `getJson`:
 * 'connect', 'timeout' (also when `signal` aborts), 'reset', 'protocol' (HTML, garbage, too big),
 * HttpStatusError (kind 'status', `.status`) for a non-2xx status; RT_CONFIG_INVALID for a bad URL.
 */
export async function requestJson(
  method: HttpMethod,
  url: string | URL,
  options: HttpRequestOptions = {},
): Promise<HttpJsonReply> {
  const target = toUrl(url);
  const payload = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json), 'utf8');
  const reply = await fetchBody(target, options, method, payload);
  const where: ErrorWhere = { command: `${method} ${target.pathname}` };
  if (reply.status < 200 || reply.status > 299) {
    const text = reply.buffer.toString('utf8');
    const excerpt = excerptOf(htmlTitleOf(text) ?? text);
    const detail = excerpt === '' ? '' : `: ${excerpt}`;
    const message = `HTTP ${reply.status} ${reply.statusText}`.trim();
    throw new HttpStatusError(reply.status, `${message} (${redactUrl(target)})${detail}`, where, excerpt);
  }
  if (reply.buffer.toString('utf8').trim() === '')
    return { status: reply.status, body: null, bytes: 0, contentType: reply.contentType };
  const body = decodeJsonBody(reply.buffer, where, redactUrl(target));
  return { status: reply.status, body, bytes: reply.buffer.length, contentType: reply.contentType };
}
