// Verified writes: every actuator call runs under a deadline on the injected clock, and a write counts
// only when an independent read-back shows the value (firmware that acknowledges and ignores is caught).

import type { Actuator, SetpointKind, SetpointLimits, SetpointWrite } from '../../core/actuator.ts';
import type { Clock } from '../../core/clock.ts';
import { ActuatorError } from '../../core/errors.ts';

/** What a driver call needs from the controller. */
export interface CallContext {
  readonly actuator: Actuator;
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** Aborted on shutdown. */
  readonly signal: AbortSignal;
}

/**
 * Runs `fn` with an ActuatorContext whose signal aborts after `timeoutMs` (on the injected clock) or on
 * shutdown; a driver that ignores the signal is abandoned at the deadline. Throws ActuatorError
 * (unreachable on timeout); a non-ActuatorError failure is wrapped as unreachable with its cause.
 */
export async function callActuator<T>(
  c: CallContext,
  what: string,
  fn: (ctx: { clock: Clock; signal: AbortSignal }) => Promise<T>,
): Promise<T> {
  const deadline = new AbortController();
  const signal = AbortSignal.any([deadline.signal, c.signal]);
  const timer = new AbortController();
  const timeout = c.clock.sleep(c.timeoutMs, timer.signal).then(
    () => {
      const err = new ActuatorError('unreachable', `${what} timed out after ${c.timeoutMs} ms`, {
        rig: c.actuator.rig,
      });
      deadline.abort(err);
      throw err;
    },
    // Aborted: the call finished first.
    () => new Promise<never>(() => undefined),
  );
  try {
    return await Promise.race([fn({ clock: c.clock, signal }), timeout]);
  } catch (err) {
    if (err instanceof ActuatorError) throw err;
    throw new ActuatorError(
      'unreachable',
      `${what} failed: ${(err as Error)?.message ?? String(err)}`,
      { rig: c.actuator.rig },
      { cause: err },
    );
  } finally {
    timer.abort();
  }
}

/**
 * True when `readback` shows `written`: a null write (default) reads back as the device default (or
 * null when the device has none or does not say); a number within half the device grid step (or a
 * millionth of the value).
 */
export function matchesSetpoint(
  readback: number | null,
  written: number | null,
  limits?: SetpointLimits,
): boolean {
  const expected = written ?? limits?.default ?? null;
  // A null write on a device that does not state its default cannot be checked beyond "it answered".
  if (expected === null) return limits?.default === undefined || readback === null;
  if (readback === null) return false;
  const tol = Math.max(1e-6 * Math.abs(expected), (limits?.step ?? 0) / 2);
  return Math.abs(readback - expected) <= tol;
}

/** How a verified write ended. */
export type WriteOutcome =
  | { readonly status: 'verified'; readonly readback: number | null }
  | { readonly status: 'not_applied'; readonly readback: number | null; readonly error: ActuatorError }
  | { readonly status: 'write_failed'; readonly error: ActuatorError }
  | { readonly status: 'read_failed'; readonly error: ActuatorError };

/** The write's result before verification, so the caller can journal "applied" in between. */
export async function writeSetpoint(
  c: CallContext,
  device: string,
  change: SetpointWrite,
): Promise<ActuatorError | null> {
  try {
    await callActuator(c, `write ${change.kind} on ${device}`, (ctx) =>
      c.actuator.write(device, change, ctx),
    );
    return null;
  } catch (err) {
    return err as ActuatorError;
  }
}

/** Reads the set-point back and compares it with what was written. */
export async function verifySetpoint(
  c: CallContext,
  device: string,
  kind: SetpointKind,
  written: number | null,
  limits?: SetpointLimits,
): Promise<WriteOutcome> {
  let readback: number | null;
  try {
    readback = await callActuator(c, `read ${kind} on ${device}`, (ctx) =>
      c.actuator.read(device, kind, ctx),
    );
  } catch (err) {
    return { status: 'read_failed', error: err as ActuatorError };
  }
  if (matchesSetpoint(readback, written, limits)) return { status: 'verified', readback };
  const error = new ActuatorError(
    'not_applied',
    `${device} accepted ${kind} = ${written ?? 'default'} but reads back ${readback ?? 'default'}`,
    { rig: c.actuator.rig, device, field: kind },
  );
  return { status: 'not_applied', readback, error };
}
