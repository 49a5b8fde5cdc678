// Bearer-token check of the control routes' writes: the token comes from the runtime on every request
// (a reload may change it); no token configured refuses every write; the compare is constant-time.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RigtuneError } from '../core/errors.ts';
import type { ApiDeps } from './types.ts';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function unauthorized(message: string): RigtuneError {
  return new RigtuneError('RT_API_UNAUTHORIZED', message);
}

/** SHA-256 of both sides first: equal lengths for timingSafeEqual, and no early exit on length. */
function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * An `onRequest` hook (it runs before the body is read) that lets a request through only with
 * `Authorization: Bearer <token>` matching the configured token; 401 RT_API_UNAUTHORIZED otherwise.
 */
export function requireToken(deps: ApiDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.header('www-authenticate', 'Bearer realm="rigtune"');
    const expected = deps.token?.() ?? null;
    if (expected === null || expected === '')
      throw unauthorized(
        'the control API has no token configured, so every write is refused: set control.api_token_env ' +
          '(or control.api_token) in rigtune.yaml, reload, and send Authorization: Bearer <token>',
      );
    const header = request.headers.authorization;
    const m = typeof header === 'string' ? BEARER.exec(header) : null;
    if (m === null) throw unauthorized('this route needs an Authorization: Bearer <token> header');
    if (!sameToken(m[1], expected)) throw unauthorized('wrong bearer token');
    reply.removeHeader('www-authenticate');
  };
}
