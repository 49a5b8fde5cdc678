// An action's life on the device: journal the intention (durable first), write, journal applied, read
// back, journal verified — or fail, raise advice and roll back (write the old value, verify, journal).

import type { SetpointKind, SetpointLimits } from '../../core/actuator.ts';
import type { ActuatorError } from '../../core/errors.ts';
import type { ControlRecord } from '../../core/sink.ts';
import type { ActionPurpose, JournalMark, JournalPort } from './ports.ts';
import { type ActionPayload, actionRecord, adviceRecord } from './records.ts';
import { type CallContext, verifySetpoint, writeSetpoint } from './verify.ts';

/** What an action needs from its controller. */
export interface ActionEnv extends CallContext {
  readonly rig: string;
  readonly journal: JournalPort;
  readonly emit: (record: ControlRecord) => void;
  readonly adviceTtlMs: number;
  /** Called once the journal fails: the controller stops starting actions. */
  readonly onJournalFailure: (err: unknown) => void;
}

/** An action that passed the gate (or a restore). */
export interface PlannedAction {
  readonly device: string;
  readonly kind: SetpointKind;
  readonly from: number | null;
  readonly to: number | null;
  readonly reason: string;
  readonly purpose: ActionPurpose;
  readonly limits?: SetpointLimits;
  readonly throttleFactor?: number;
  readonly allowedStep?: number;
  /** The strategy's proposal tag, echoed in the outcome (not journaled). */
  readonly tag?: string;
}

/** A journaled action the controller may have to roll back. */
export interface ActiveAction extends PlannedAction {
  readonly id: string;
}

export type ExecuteResult =
  | { readonly status: 'verified'; readonly action: ActiveAction; readonly readback: number | null }
  | {
      readonly status: 'failed';
      readonly action: ActiveAction | null;
      readonly phase: 'journal' | 'apply' | 'verify';
      readonly error: string;
      /** The device is back at `from` (or was never changed) and the journal says so. */
      readonly restored: boolean;
    };

function payload(
  a: PlannedAction,
  id: string | null,
  status: ActionPayload['status'],
  more: Partial<ActionPayload> = {},
): ActionPayload {
  const gate =
    a.throttleFactor === undefined ? {} : { throttle_factor: a.throttleFactor, allowed_step: a.allowedStep };
  return {
    id,
    device: a.device,
    setpoint: a.kind,
    from: a.from,
    to: a.to,
    purpose: a.purpose,
    status,
    reason: a.reason,
    ...gate,
    ...more,
  };
}

/** Journals `event`; false (and the controller told) when the journal cannot record it. */
async function mark(env: ActionEnv, event: JournalMark): Promise<boolean> {
  try {
    await env.journal.mark(event);
    return true;
  } catch (err) {
    env.onJournalFailure(err);
    return false;
  }
}

function message(err: ActuatorError | unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Journals, writes and verifies `plan`; on any failure rolls back and says so. Never throws. */
export async function executeAction(env: ActionEnv, plan: PlannedAction): Promise<ExecuteResult> {
  const now = () => env.clock.nowMs();
  let id: string;
  try {
    id = await env.journal.intend({
      ts: now(),
      rig: env.rig,
      device: plan.device,
      kind: plan.kind,
      from: plan.from,
      to: plan.to,
      reason: plan.reason,
      purpose: plan.purpose,
    });
  } catch (err) {
    env.onJournalFailure(err);
    return {
      status: 'failed',
      action: null,
      phase: 'journal',
      error: `journal: ${message(err)}`,
      restored: true,
    };
  }
  const action: ActiveAction = { ...plan, id };
  env.emit(actionRecord(env.rig, now(), payload(action, id, 'intended')));
  const writeError = await writeSetpoint(env, plan.device, { kind: plan.kind, value: plan.to });
  if (writeError !== null) return fail(env, action, 'apply', writeError);
  if (!(await mark(env, { type: 'applied', id, ts: now() }))) {
    const restored = await rollbackAction(env, action, 'the journal could not record the write');
    return { status: 'failed', action, phase: 'journal', error: 'journal failed after the write', restored };
  }
  env.emit(actionRecord(env.rig, now(), payload(action, id, 'applied')));
  const v = await verifySetpoint(env, plan.device, plan.kind, plan.to, plan.limits);
  if (v.status !== 'verified') {
    const readback = v.status === 'not_applied' ? v.readback : undefined;
    return fail(env, action, 'verify', v.error, readback);
  }
  if (!(await mark(env, { type: 'verified', id, ts: now(), readback: v.readback }))) {
    const restored = await rollbackAction(env, action, 'the journal could not record the read-back');
    return {
      status: 'failed',
      action,
      phase: 'journal',
      error: 'journal failed after the read-back',
      restored,
    };
  }
  env.emit(actionRecord(env.rig, now(), payload(action, id, 'verified', { readback: v.readback })));
  return { status: 'verified', action, readback: v.readback };
}

async function fail(
  env: ActionEnv,
  action: ActiveAction,
  phase: 'apply' | 'verify',
  error: ActuatorError,
  readback?: number | null,
): Promise<ExecuteResult> {
  const ts = env.clock.nowMs();
  await mark(env, { type: 'failed', id: action.id, ts, phase, error: error.message });
  const extra = readback === undefined ? {} : { readback };
  env.emit(
    actionRecord(
      env.rig,
      ts,
      payload(action, action.id, 'failed', { phase, error: error.message, ...extra }),
    ),
  );
  const notApplied = error.reason === 'not_applied';
  env.emit(
    adviceRecord(env.rig, ts, {
      kind: notApplied ? 'setpoint_not_applied' : 'actuator_error',
      device: action.device,
      setpoint: action.kind,
      by: null,
      reason: notApplied
        ? `${action.device} acknowledged ${action.kind} = ${action.to ?? 'default'} but still runs ${readback ?? 'default'}: check the firmware or driver; automatic changes of it were reverted.`
        : `${action.kind} on ${action.device} failed (${error.reason}): ${error.message}`,
      evidence: {
        action_id: action.id,
        requested: action.to,
        readback: readback ?? null,
        error_code: error.code,
      },
      severity: 'warning',
      ttlMs: env.adviceTtlMs,
    }),
  );
  const restored = await rollbackAction(env, action, `${phase} failed: ${error.message}`);
  return { status: 'failed', action, phase, error: error.message, restored };
}

/**
 * Writes the action's `from` back, verifies it and journals `rolled_back`. On failure journals it
 * (phase rollback), raises critical advice and returns false: the action stays in flight. A `retry`
 * that fails again records nothing more (the journal already says failed; no advice every 30 s).
 */
export async function rollbackAction(
  env: ActionEnv,
  action: ActiveAction,
  reason: string,
  retry = false,
): Promise<boolean> {
  let error: ActuatorError | null = await writeSetpoint(env, action.device, {
    kind: action.kind,
    value: action.from,
  });
  let readback: number | null = null;
  if (error === null) {
    const v = await verifySetpoint(env, action.device, action.kind, action.from, action.limits);
    if (v.status === 'verified') readback = v.readback;
    else error = v.error;
  }
  const ts = env.clock.nowMs();
  if (error === null) {
    await mark(env, { type: 'rolled_back', id: action.id, ts, reason });
    env.emit(actionRecord(env.rig, ts, payload(action, action.id, 'rolled_back', { reason, readback })));
    return true;
  }
  if (retry) return false;
  await mark(env, { type: 'failed', id: action.id, ts, phase: 'rollback', error: error.message });
  env.emit(
    actionRecord(
      env.rig,
      ts,
      payload(action, action.id, 'failed', { phase: 'rollback', error: error.message }),
    ),
  );
  env.emit(
    adviceRecord(env.rig, ts, {
      kind: 'rollback_failed',
      device: action.device,
      setpoint: action.kind,
      by: null,
      reason: `${action.device} could not be set back to ${action.kind} = ${action.from ?? 'default'} (${error.message}); rigtune keeps trying, check the device.`,
      evidence: { action_id: action.id, wanted: action.from, error_code: error.code },
      severity: 'critical',
      ttlMs: env.adviceTtlMs,
    }),
  );
  return false;
}
