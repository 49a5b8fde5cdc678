// ControlRecords the controller emits: one 'action' record per step of an action's life (and per
// refused manual request), and 'advice' records (advise-mode proposals, writes a device did not apply).

import type { SetpointKind } from '../../core/actuator.ts';
import type { ControlRecord } from '../../core/sink.ts';
import type { GuardName } from './guards.ts';
import type { ActionPurpose } from './ports.ts';
import type { ValidationReport } from './validate.ts';

/** Steps of an action as records show them; `refused` = a manual request the guard rails turned down. */
export type ActionRecordStatus =
  | 'intended'
  | 'applied'
  | 'verified'
  | 'failed'
  | 'validated'
  | 'rolled_back'
  | 'refused';

/** Payload of an 'action' ControlRecord (snake_case: the Valkey/audit data contract). */
export interface ActionPayload {
  /** Journal id; null for a refused request (never journaled). */
  readonly id: string | null;
  readonly device: string;
  readonly setpoint: SetpointKind;
  readonly from: number | null;
  readonly to: number | null;
  readonly purpose: ActionPurpose;
  readonly status: ActionRecordStatus;
  /** Why the action was taken (or, for rolled_back/failed/refused, why it ended so). */
  readonly reason: string;
  readonly readback?: number | null;
  readonly phase?: 'apply' | 'verify' | 'rollback';
  readonly error?: string;
  readonly guard?: GuardName;
  readonly validation?: ValidationReport;
  /** Guard-curve factor and the step it allowed, for actions that passed the gate. */
  readonly throttle_factor?: number;
  readonly allowed_step?: number;
}

export function actionRecord(rig: string, ts: number, payload: ActionPayload): ControlRecord {
  return { kind: 'action', rig, ts, payload: payload as unknown as Record<string, unknown> };
}

/** Kinds of advice the controller raises (the advisory engine raises its own rule-based kinds). */
export type AutotuneAdviceKind =
  | 'tune_setpoint'
  | 'setpoint_not_applied'
  | 'actuator_error'
  | 'rollback_failed';

const UNITS: Record<SetpointKind, 'W' | 'MHz' | '%' | 'step'> = {
  power_limit_w: 'W',
  clock_core_max_mhz: 'MHz',
  clock_mem_max_mhz: 'MHz',
  fan_pct: '%',
  profile_step: 'step',
};

/** What an advice is about and asks for; shaped like the advisory engine's advice payload. */
export interface AdviceFields {
  readonly kind: AutotuneAdviceKind;
  readonly device: string;
  readonly setpoint: SetpointKind;
  /** Suggested signed change in the set-point's unit; null when the advice is to look at something. */
  readonly by: number | null;
  readonly reason: string;
  readonly evidence: Readonly<Record<string, number | string | boolean | null>>;
  readonly severity: 'info' | 'warning' | 'critical';
  readonly ttlMs: number;
}

export function adviceRecord(rig: string, ts: number, a: AdviceFields): ControlRecord {
  return {
    kind: 'advice',
    rig,
    ts,
    payload: {
      id: `${a.kind}:${rig}:${a.device}:${a.setpoint}:${ts}`,
      state: 'active',
      kind: a.kind,
      target: { rig, device: a.device, board: null },
      delta: a.by === null ? null : { setpoint: a.setpoint, by: a.by, unit: UNITS[a.setpoint] },
      reason: a.reason,
      evidence: a.evidence,
      ttl_ms: a.ttlMs,
      severity: a.severity,
      raised_ms: ts,
      cause: null,
      source: 'autotune',
    },
  };
}
