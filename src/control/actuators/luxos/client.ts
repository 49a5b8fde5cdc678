// The LuxOS TCP API as the driver uses it: read commands, and writes inside a session (`logon` →
// commands carrying the session id → `logoff`, always), with failures mapped to ActuatorError reasons.

import { ActuatorError, type ErrorWhere, SourceError } from '../../../core/errors.ts';
import { cgminerRequest } from '../../../protocols/cgminer/index.ts';
import { sessionIdOf } from './replies.ts';

/** How to reach one miner. Times in ms. */
export interface LuxosTarget {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
}

/** Sends one session command: `command` with parameter `<session id>,<args…>`. */
export type SessionSend = (command: string, args: readonly string[]) => Promise<unknown>;

// LuxOS answers a second `logon` with Code 402 "Another session is active" (luxos-tooling
// asyncops.logon); cgminer's "Invalid command" is Code 14.
const SESSION_ACTIVE = 402;
const INVALID_COMMAND = 14;

/** The `Code` of a STATUS E/F reply, from the message protocols/cgminer/status.ts writes. */
function statusCodeOf(err: SourceError): number | null {
  const m = /\(code (\d+)\)/.exec(err.message);
  return m === null ? null : Number(m[1]);
}

/**
 * The ActuatorError for a failed `command`: STATUS 402 → refused (another client holds the one
 * session), STATUS 14 → unsupported (this firmware lacks the command), other STATUS E/F → refused;
 * connect / timeout (also an aborted signal) / reset / garbage → unreachable. ActuatorErrors pass
 * through; anything else is rethrown as is.
 */
export function toActuatorError(err: unknown, command: string, where: ErrorWhere): ActuatorError {
  if (err instanceof ActuatorError) return err;
  if (!(err instanceof SourceError)) throw err;
  const at = { ...where, command };
  if (err.kind === 'status') {
    const code = statusCodeOf(err);
    if (code === SESSION_ACTIVE) return sessionHeld(err.message, at, err);
    const reason = code === INVALID_COMMAND ? 'unsupported' : 'refused';
    return new ActuatorError(reason, `LuxOS refused '${command}': ${err.message}`, at, { cause: err });
  }
  if (err.kind === 'unsupported')
    return new ActuatorError('unsupported', `LuxOS: ${err.message}`, at, { cause: err });
  const detail = err.kind === 'protocol' ? 'the reply is not LuxOS API JSON' : `${err.kind} failure`;
  return new ActuatorError('unreachable', `LuxOS '${command}' failed (${detail}): ${err.message}`, at, {
    cause: err,
  });
}

function sessionHeld(detail: string, where: ErrorWhere, cause?: unknown): ActuatorError {
  return new ActuatorError(
    'refused',
    `LuxOS allows one session and another client holds it (${detail}); retry after it logs off or its session expires (1 min idle)`,
    where,
    { cause },
  );
}

/** One miner's LuxOS API. */
export class LuxosClient {
  readonly #target: LuxosTarget;
  readonly #where: ErrorWhere;
  readonly #onLogoffFailure: (err: ActuatorError) => void;

  /** `onLogoffFailure` hears of a session the driver could not close (it expires on its own). */
  constructor(target: LuxosTarget, where: ErrorWhere, onLogoffFailure: (err: ActuatorError) => void) {
    this.#target = target;
    this.#where = where;
    this.#onLogoffFailure = onLogoffFailure;
  }

  /** A read command (no session); the parsed, status-checked reply. Throws ActuatorError. */
  async query(command: string, signal: AbortSignal | undefined, parameter?: string): Promise<unknown> {
    const { host, port, timeoutMs } = this.#target;
    try {
      // cgminerRequest queues behind any other request to this miner (the cgminer source's polls too).
      return (await cgminerRequest(host, port, command, { parameter, timeoutMs, signal })).value;
    } catch (err) {
      throw toActuatorError(err, command, this.#where);
    }
  }

  /**
   * Opens a session, runs `fn` with a sender that prefixes the session id, and logs off whatever
   * happens. The logoff does not take `signal` (an aborted write must still release the session); it
   * is bounded by the request timeout. Throws what `fn` throws, or ActuatorError from `logon`.
   */
  async withSession<T>(signal: AbortSignal, fn: (send: SessionSend) => Promise<T>): Promise<T> {
    const logon = await this.query('logon', signal);
    const sid = sessionIdOf(logon);
    if (sid === null) {
      const code = (logon as { STATUS?: { Code?: unknown }[] }).STATUS?.[0]?.Code;
      const where = { ...this.#where, command: 'logon' };
      if (code === SESSION_ACTIVE) throw sessionHeld('logon answered without a SessionID, Code 402', where);
      throw new ActuatorError('unsupported', 'LuxOS logon reply has no SESSION[0].SessionID', where);
    }
    const send: SessionSend = async (command, args) => {
      for (const a of args)
        if (a.includes(','))
          throw new ActuatorError('unsupported', `LuxOS parameters cannot contain ',' (${a})`, this.#where);
      return this.query(command, signal, [sid, ...args].join(','));
    };
    try {
      return await fn(send);
    } finally {
      await this.query('logoff', undefined, sid).catch((err: unknown) => {
        // Safe to go on: LuxOS expires an idle session after one minute (sessions docs); the owner
        // hears of it, and the write's own outcome (resolved or thrown) stands.
        this.#onLogoffFailure(toActuatorError(err, 'logoff', this.#where));
      });
    }
  }
}
