// What the control routes need of the runtime: per-rig auto-tune modes, manual set-points through the
// guard rails, the journal's recent actions, the global kill switch and every controller's status.

import type { SetpointKind } from '../core/actuator.ts';

/** Auto-tune modes of a rig (the config's `autotune:`). */
export const CONTROL_MODES = ['off', 'advise', 'auto'] as const;
export type ControlMode = (typeof CONTROL_MODES)[number];

/** A manual set-point (value in the set-point's unit), passed through the same guard rails. */
export interface ManualActionRequest {
  readonly device: string;
  readonly kind: SetpointKind;
  readonly value: number;
  readonly reason: string;
}

/**
 * How a manual request ended: `validating` (written, read back, now watched against its baseline),
 * `failed` (written, but refused by the device or not applied: rolled back), `refused` by a guard rail
 * (`guard` names it: kill_switch, busy, cooldown, bounds, max_step, …, `mode` or `device`).
 */
export type ManualActionResult =
  | { readonly status: 'validating'; readonly id: string; readonly to: number }
  | { readonly status: 'failed'; readonly reason: string }
  | { readonly status: 'refused'; readonly guard: string; readonly reason: string };

/** The global kill switch. */
export interface KillSwitchState {
  readonly engaged: boolean;
  /** Why it was engaged; null while released. */
  readonly reason: string | null;
  /** When it last changed, epoch ms; null when never changed since start. */
  readonly changed_ms: number | null;
}

/** One action as the journal knows it (snake_case, values in the set-point's unit, null = default). */
export interface ActionView {
  readonly id: string;
  readonly ts: number;
  readonly device: string;
  readonly setpoint: SetpointKind;
  readonly from: number | null;
  readonly to: number | null;
  readonly purpose: string;
  readonly reason: string;
  /** intended, applied, verified, failed (still in flight), validated or rolled_back. */
  readonly status: string;
  readonly updated_ms: number;
  readonly readback: number | null;
  readonly failure: { readonly phase: string; readonly error: string } | null;
  readonly rollback_reason: string | null;
}

/** The runtime's auto-tune controllers as the control routes use them. */
export interface ControlApi {
  /** True when `rig` has an auto-tune controller (an `actuator:`). */
  has(rig: string): boolean;
  /** Sets `rig`'s mode (leaving auto rolls back what is under validation). */
  setMode(
    rig: string,
    mode: ControlMode,
  ): Promise<{ readonly mode: ControlMode; readonly previous: ControlMode }>;
  requestAction(rig: string, request: ManualActionRequest): Promise<ManualActionResult>;
  /** `rig`'s journaled actions intended at or after `sinceMs`, oldest first, the newest `limit`. */
  actions(rig: string, sinceMs: number, limit: number): readonly ActionView[];
  killSwitch(): KillSwitchState;
  /** Engages (every controller rolls back what is unvalidated and stops acting) or releases it. */
  setKillSwitch(engaged: boolean, reason: string): KillSwitchState;
  /** Every controller's status (mode, kill switch, per-device values, validation, refusals). */
  status(): readonly Readonly<Record<string, unknown>>[];
}
