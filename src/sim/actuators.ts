// What a simulated actuator write returns: the device's answer, with its limits, so tuning code can
// be tested against clamping, unsupported controls, unreachable devices and firmware that lies.

/**
 * Outcome of a write. `applied`: set as asked; `clamped`: set to the nearest value inside
 * [min, max]; `unsupported`: the device has no such control (e.g. fan on a fanless card);
 * `unavailable`: the device cannot be reached (GPU fallen off the bus).
 */
export type ActuatorStatus = 'applied' | 'clamped' | 'unsupported' | 'unavailable';

/**
 * The device's reply to a write. Under an `ignore_writes` fault the reply still says applied (as
 * such firmware does) while nothing changes: only a read-back of the snapshot reveals it.
 */
export interface ActuatorResult {
  readonly status: ActuatorStatus;
  /** The value asked for (null = back to automatic / unlocked). */
  readonly requested: number | null;
  /** The value the device says it now uses; null when nothing was set or it returned to automatic. */
  readonly applied: number | null;
  /** The control's limits in its unit; null when the control does not exist. */
  readonly min: number | null;
  readonly max: number | null;
}

/** The reply for a write of `requested` into [min, max]: applied, or clamped to the nearer bound. */
export function clampWrite(requested: number | null, min: number, max: number): ActuatorResult {
  if (requested === null) return { status: 'applied', requested, applied: null, min, max };
  if (!Number.isFinite(requested)) return { status: 'clamped', requested, applied: min, min, max };
  const applied = Math.min(max, Math.max(min, requested));
  return { status: applied === requested ? 'applied' : 'clamped', requested, applied, min, max };
}

/** The reply of a device that has no such control. */
export function unsupportedWrite(requested: number | null): ActuatorResult {
  return { status: 'unsupported', requested, applied: null, min: null, max: null };
}

/** The reply of a device that cannot be reached. */
export function unavailableWrite(requested: number | null, min: number, max: number): ActuatorResult {
  return { status: 'unavailable', requested, applied: null, min, max };
}
