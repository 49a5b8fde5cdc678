// Maps what the REST transport throws (SourceError kinds, HTTP statuses) to the ActuatorError reasons
// the control layer branches on, keeping the transport error as the cause.

import { ActuatorError, type ErrorWhere, SourceError } from '../../../core/errors.ts';
import { HttpStatusError } from '../../../protocols/http-json/index.ts';

/**
 * The ActuatorError for a failed call `what` (e.g. "set power target"):
 * - 401/403 → refused (credentials or permission); 404/405/501 → unsupported (no such endpoint on
 *   this firmware); other 4xx (400 invalid value, 412 BOSminer not running, …) → refused;
 *   5xx → unreachable (the miner's API is failing; the outcome of a write is unknown: read back).
 * - connect / timeout (also an aborted signal) / reset → unreachable;
 * - protocol (HTML, garbage, truncated JSON) → unreachable: no usable answer came back.
 * ActuatorErrors pass through; anything else (a programming error) is rethrown as is.
 */
export function toActuatorError(err: unknown, what: string, where: ErrorWhere): ActuatorError {
  if (err instanceof ActuatorError) return err;
  if (err instanceof HttpStatusError) {
    const s = err.status;
    const reason = s === 404 || s === 405 || s === 501 ? 'unsupported' : s >= 500 ? 'unreachable' : 'refused';
    const hint =
      s === 401 || s === 403
        ? ' (check username and password)'
        : reason === 'unsupported'
          ? ' (endpoint missing: Braiins OS with the public API v1 is needed)'
          : '';
    return new ActuatorError(reason, `Braiins OS: ${what} failed: ${err.message}${hint}`, where, {
      cause: err,
    });
  }
  if (err instanceof SourceError) {
    const detail = err.kind === 'protocol' ? 'the reply is not the public API JSON' : `${err.kind} failure`;
    const reason = err.kind === 'status' ? 'refused' : 'unreachable';
    return new ActuatorError(reason, `Braiins OS: ${what} failed (${detail}): ${err.message}`, where, {
      cause: err,
    });
  }
  throw err;
}
