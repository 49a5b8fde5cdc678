// The Braiins OS public REST API as the driver uses it: login for a token, then calls that carry it
// in the `authorization` header; an expired token (401) is renewed once, transparently.

import type { ErrorWhere } from '../../../core/errors.ts';
import { ActuatorError } from '../../../core/errors.ts';
import { type HttpMethod, HttpStatusError, requestJson } from '../../../protocols/http-json/index.ts';
import { toActuatorError } from './errors.ts';

/** How to reach and log in to one miner. Times in ms. */
export interface BraiinsRestConfig {
  /** Base URL, e.g. http://192.168.1.60 (no trailing /api/v1). */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly timeoutMs: number;
  readonly connectTimeoutMs?: number;
  readonly rejectUnauthorized: boolean;
}

/** Paths of the public API v1 the driver calls (OpenAPI 1.7.0, wire-formats §3.4). */
export const BOS_PATHS = {
  login: '/api/v1/auth/login',
  constraints: '/api/v1/configuration/constraints',
  tunerState: '/api/v1/performance/tuner-state',
  powerTarget: '/api/v1/performance/power-target',
  powerTargetDefault: '/api/v1/performance/power-target/default',
} as const;

/** One miner's REST API with its session token. */
export class BraiinsRestClient {
  readonly #config: BraiinsRestConfig;
  readonly #where: ErrorWhere;
  #token: string | null = null;

  constructor(config: BraiinsRestConfig, where: ErrorWhere) {
    this.#config = config;
    this.#where = where;
  }

  /**
   * `method path` with the token (logging in first when there is none), the parsed JSON reply
   * (null for an empty body). A 401 renews the token once and repeats the call: a rejected call
   * changed nothing, so repeating a write is safe. Throws ActuatorError (see errors.ts).
   */
  async call(
    method: HttpMethod,
    path: string,
    what: string,
    signal: AbortSignal,
    json?: unknown,
  ): Promise<unknown> {
    const where: ErrorWhere = { ...this.#where, command: `${method} ${path}` };
    try {
      const token = this.#token ?? (await this.#login(signal));
      try {
        return await this.#send(method, path, token, signal, json);
      } catch (err) {
        if (!(err instanceof HttpStatusError && err.status === 401)) throw err;
        this.#token = null;
        return await this.#send(method, path, await this.#login(signal), signal, json);
      }
    } catch (err) {
      throw toActuatorError(err, what, where);
    }
  }

  /** Forgets the token (the miner expires it on its own; the API has no logout call). */
  forget(): void {
    this.#token = null;
  }

  async #send(method: HttpMethod, path: string, token: string, signal: AbortSignal, json?: unknown) {
    const reply = await requestJson(method, new URL(path, this.#config.url), {
      headers: { authorization: token },
      json,
      signal,
      timeoutMs: this.#config.timeoutMs,
      connectTimeoutMs: this.#config.connectTimeoutMs ?? this.#config.timeoutMs,
      rejectUnauthorized: this.#config.rejectUnauthorized,
    });
    return reply.body;
  }

  async #login(signal: AbortSignal): Promise<string> {
    const where: ErrorWhere = { ...this.#where, command: `POST ${BOS_PATHS.login}` };
    let body: unknown;
    try {
      const reply = await requestJson('POST', new URL(BOS_PATHS.login, this.#config.url), {
        json: { username: this.#config.username, password: this.#config.password },
        signal,
        timeoutMs: this.#config.timeoutMs,
        connectTimeoutMs: this.#config.connectTimeoutMs ?? this.#config.timeoutMs,
        rejectUnauthorized: this.#config.rejectUnauthorized,
      });
      body = reply.body;
    } catch (err) {
      if (err instanceof HttpStatusError && (err.status === 401 || err.status === 403))
        throw new ActuatorError(
          'refused',
          `Braiins OS rejected the login of user '${this.#config.username}' (HTTP ${err.status}); check the password`,
          where,
          { cause: err },
        );
      throw toActuatorError(err, 'login', where);
    }
    const token = typeof body === 'object' && body !== null ? (body as { token?: unknown }).token : undefined;
    if (typeof token !== 'string' || token === '')
      throw new ActuatorError('unsupported', 'Braiins OS login reply has no token', where);
    this.#token = token;
    return token;
  }
}
