// The API's error replies: every failure is JSON `{ error: { code, message, param? } }` with an RT_API_*
// code (or the RigtuneError's own), so clients branch on `code` and never parse message text.

import type { ErrorCode } from '../core/errors.ts';
import { isRigtuneError, RigtuneError } from '../core/errors.ts';

/**
 * The body of every error reply. `param` names the query, path or body parameter at fault, when one
 * is; `guard` the guard rail that refused a control request (RT_API_REFUSED).
 */
export interface ApiErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly param?: string;
    readonly guard?: string;
  };
}

/** A bad request parameter (400, RT_API_PARAM); `param` is the parameter's name as the client sent it. */
export function paramError(param: string, message: string): RigtuneError {
  return new RigtuneError('RT_API_PARAM', message, { field: param });
}

/** A missing route or resource (404, RT_API_NOT_FOUND). */
export function notFoundError(message: string, where: { rig?: string } = {}): RigtuneError {
  return new RigtuneError('RT_API_NOT_FOUND', message, where);
}

/** A route whose component is not configured or not ready (503, RT_API_UNAVAILABLE). */
export function unavailableError(message: string): RigtuneError {
  return new RigtuneError('RT_API_UNAVAILABLE', message);
}

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  RT_API_PARAM: 400,
  RT_API_UNAUTHORIZED: 401,
  RT_API_NOT_FOUND: 404,
  RT_API_REFUSED: 409,
  RT_API_ACTION_FAILED: 502,
  RT_API_UNAVAILABLE: 503,
};

/** What the client is told about `err`: status, and a body that hides unexpected errors' details. */
export function errorReply(err: unknown): { status: number; body: ApiErrorBody; expected: boolean } {
  if (isRigtuneError(err)) {
    const status = STATUS_OF[err.code] ?? 500;
    const param = err.code === 'RT_API_PARAM' ? err.where.field : undefined;
    const body = { error: { code: err.code, message: err.message, ...(param ? { param } : {}) } };
    // A device that failed a manual write is the client's answer, not a server fault to log.
    return { status, body, expected: status < 500 || err.code === 'RT_API_ACTION_FAILED' };
  }
  const http = httpErrorOf(err);
  if (http !== null && http.status >= 400 && http.status < 500) {
    // fastify's own client errors (bad URL encoding, a body on a GET it cannot parse, …).
    const code: ErrorCode = http.status === 404 ? 'RT_API_NOT_FOUND' : 'RT_API_PARAM';
    return { status: http.status, body: { error: { code, message: http.message } }, expected: true };
  }
  return {
    status: 500,
    body: { error: { code: 'RT_API_INTERNAL', message: 'Internal error; the service log has the details.' } },
    expected: false,
  };
}

function httpErrorOf(err: unknown): { status: number; message: string } | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { statusCode?: unknown; message?: unknown };
  if (typeof e.statusCode !== 'number') return null;
  return { status: e.statusCode, message: typeof e.message === 'string' ? e.message : 'Bad request.' };
}
