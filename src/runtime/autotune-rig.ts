// Building one rig's controller with its own mirror of the global kill switch (so one rebuilt on reload
// can be let go), and the views of journaled actions and action records the API and the log show.

import type { ActionView } from '../api/index.ts';
import type { AutotuneMode } from '../config/index.ts';
import {
  type AutotuneOptionsInput,
  type JournaledAction,
  type JournalPort,
  KillSwitch,
  RigAutotune,
} from '../control/autotune/index.ts';
import { createOptimizer, type OptimizerOptionsInput } from '../control/optimizer/index.ts';
import type { Actuator } from '../core/actuator.ts';
import type { Clock } from '../core/clock.ts';
import type { ControlRecord } from '../core/sink.ts';
import type { OpsEvent } from './ops-events.ts';

/** A rig's actuator as a configuration gives it: built only when the controller starts. */
export interface ActuatorSpec {
  /** Identity of the actuator's whole configuration; a reload that changes it needs a restart. */
  readonly key: string;
  readonly kind: string;
  readonly create: () => Actuator;
}

/** A rig's `autotune:` options and its `optimizer:` options; either absent = built-in defaults. */
export interface ControllerOptions {
  readonly autotune?: AutotuneOptionsInput;
  readonly optimizer?: OptimizerOptionsInput;
}

/** What a controller of one rig is built from. */
export interface ControllerParts {
  readonly rig: string;
  readonly actuator: Actuator;
  readonly journal: JournalPort;
  readonly clock: Clock;
  readonly killSwitch: KillSwitch;
  readonly emit: (record: ControlRecord) => void;
  readonly options: ControllerOptions;
  readonly mode: AutotuneMode;
  readonly onError: (err: unknown) => void;
}

/** A controller and the function that detaches its kill-switch mirror from the global switch. */
export interface BuiltController {
  readonly ctrl: RigAutotune;
  readonly detach: () => void;
}

/** Builds a controller whose kill switch follows the global one until `detach()`. Throws for bad options. */
export function buildController(p: ControllerParts): BuiltController {
  const mirror = new KillSwitch();
  if (p.killSwitch.engaged) mirror.engage(p.killSwitch.reason ?? 'engaged');
  const unsubscribe = p.killSwitch.subscribe((engaged) => {
    if (engaged) mirror.engage(p.killSwitch.reason ?? 'engaged');
    else mirror.release();
  });
  try {
    const ctrl = new RigAutotune({
      rig: p.rig,
      actuator: p.actuator,
      journal: p.journal,
      clock: p.clock,
      killSwitch: mirror,
      emit: p.emit,
      options: p.options.autotune,
      mode: p.mode,
      onError: p.onError,
      // The noise-aware efficiency search and fan/thermal control (defaults: docs/control-policy.md).
      strategy: createOptimizer(p.options.optimizer),
    });
    return { ctrl, detach: unsubscribe };
  } catch (err) {
    unsubscribe();
    throw err;
  }
}

type Stored = JournaledAction & {
  readonly readback?: number | null;
  readonly failure?: { readonly phase: string; readonly error: string };
  readonly rollbackReason?: string;
};

/** A journaled action as the API shows it. */
export function actionView(a: JournaledAction): ActionView {
  const s = a as Stored;
  return {
    id: a.id,
    ts: a.ts,
    device: a.device,
    setpoint: a.kind,
    from: a.from,
    to: a.to,
    purpose: a.purpose,
    reason: a.reason,
    status: a.status,
    updated_ms: a.updatedMs,
    readback: s.readback ?? null,
    failure: s.failure === undefined ? null : { phase: s.failure.phase, error: s.failure.error },
    rollback_reason: s.rollbackReason ?? null,
  };
}

const LOGGED: Readonly<Record<string, { level: OpsEvent['level']; msg: string }>> = {
  verified: { level: 'info', msg: 'Auto-tune set-point written and read back.' },
  validated: { level: 'info', msg: 'Auto-tune action validated.' },
  rolled_back: { level: 'warn', msg: 'Auto-tune action rolled back.' },
  failed: { level: 'warn', msg: 'Auto-tune action failed.' },
  refused: { level: 'info', msg: 'Manual set-point refused by the guard rails.' },
};

/** The log line of an action record worth one (verified, validated, rolled back, failed, refused). */
export function actionEvent(record: ControlRecord): OpsEvent | null {
  if (record.kind !== 'action') return null;
  const p = record.payload;
  const how = LOGGED[String(p.status)];
  if (how === undefined) return null;
  return {
    component: 'autotune',
    code: `action_${String(p.status)}`,
    level: how.level,
    msg: how.msg,
    rig: record.rig,
    device: typeof p.device === 'string' ? p.device : undefined,
    rateLimited: false,
    fields: {
      id: p.id,
      setpoint: p.setpoint,
      from: p.from,
      to: p.to,
      purpose: p.purpose,
      reason: p.reason,
      ...(p.guard === undefined ? {} : { guard: p.guard }),
      ...(p.phase === undefined ? {} : { phase: p.phase, error: p.error }),
    },
  };
}
