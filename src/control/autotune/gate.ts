// Every guard rail in one pure decision: given the device's and rig's state and a proposed value, the
// target the action may take (in bounds, step-limited, guard-scaled) or the first guard that refuses.

import type { SetpointLimits } from '../../core/actuator.ts';
import type { RuptureClass } from '../../core/scores.ts';
import type { GuardMetrics } from '../../kernel/guards/index.ts';
import {
  type Bounds,
  checkCooldown,
  checkFresh,
  checkHourlyCap,
  checkMinInterval,
  checkRupture,
  type GuardName,
  intersectBounds,
  refuse,
  scaledStep,
  shapeTarget,
} from './guards.ts';

/** What the gate knows about one device. Times epoch ms. */
export interface GateDevice {
  /** An action of this device is being applied or validated. */
  readonly busy: boolean;
  readonly lastActionMs: number | null;
  readonly cooldownUntilMs: number | null;
  readonly ruptureClass: RuptureClass | null;
  readonly lastScoreMs: number | null;
  /** Guard-curve inputs of the latest and the previous score. */
  readonly current: GuardMetrics | null;
  readonly previous: GuardMetrics | null;
  /** The pre-action baseline has enough blocks for validation. */
  readonly baselineReady: boolean;
}

/** What the gate knows about the rig. */
export interface GateRig {
  readonly killed: boolean;
  /** The journal cannot record (an action could not be made durable first). */
  readonly journalBroken: boolean;
  /** Start times of the rig's tune and manual actions (restores excluded). */
  readonly actionTimesMs: readonly number[];
  /** Devices with an action under validation. */
  readonly validating: number;
}

/** The guard-rail settings the gate applies. */
export interface GateLimits {
  readonly maxStep: number;
  readonly minStep: number;
  readonly minIntervalMs: number;
  readonly maxActionsPerHour: number;
  readonly maxConcurrent: number;
  readonly staleMs: number;
}

export interface GateInput {
  readonly nowMs: number;
  readonly device: GateDevice;
  readonly rig: GateRig;
  readonly limits: GateLimits;
  /** The device's own limits for this set-point; undefined when it has none. */
  readonly deviceLimits: SetpointLimits | undefined;
  readonly configured?: { readonly min?: number; readonly max?: number };
  /** The current value (numeric reference: a default or automatic setting resolved by the caller). */
  readonly from: number;
  readonly proposed: number;
  /** Manual set-points are taken exactly or refused; proposals are shortened to the allowed step. */
  readonly exact: boolean;
}

export type GateResult =
  | {
      readonly ok: true;
      readonly to: number;
      readonly bounds: Bounds;
      /** Guard-curve factor in [0, 1] and the step it allowed. */
      readonly factor: number;
      readonly allowedStep: number;
    }
  | { readonly ok: false; readonly guard: GuardName; readonly reason: string };

/** Applies the guard rails in a fixed order (docs/control-policy.md § Guard rails); the first refusal wins. */
export function gateProposal(g: GateInput): GateResult {
  const { device: d, rig, limits: l, nowMs } = g;
  if (rig.killed) return refuse('kill_switch', 'the global kill switch is engaged');
  if (rig.journalBroken) return refuse('journal', 'the action journal cannot record; no action without it');
  if (d.busy) return refuse('busy', 'an action of this device is still being applied or validated');
  if (rig.validating >= l.maxConcurrent)
    return refuse(
      'concurrency',
      `${rig.validating} device(s) already under validation (max ${l.maxConcurrent})`,
    );
  const checks = [
    checkFresh(d.lastScoreMs, nowMs, l.staleMs),
    checkRupture(d.ruptureClass),
    checkCooldown(d.cooldownUntilMs, nowMs),
    checkMinInterval(d.lastActionMs, nowMs, l.minIntervalMs),
    checkHourlyCap(rig.actionTimesMs, nowMs, l.maxActionsPerHour),
  ];
  for (const c of checks) if (!c.ok) return c;
  if (!d.baselineReady) return refuse('baseline', 'not enough pre-action samples for a baseline yet');
  if (g.deviceLimits === undefined) return refuse('bounds', 'the device does not offer this set-point');
  const bounds = intersectBounds(g.deviceLimits, g.configured);
  if (bounds === null)
    return refuse(
      'bounds',
      `configured limits [${g.configured?.min ?? '-'}, ${g.configured?.max ?? '-'}] do not overlap the device's [${g.deviceLimits.min}, ${g.deviceLimits.max}]`,
    );
  const { factor, step } = scaledStep(l.maxStep, d.current, d.previous);
  if (d.current === null) return refuse('throttle', 'no structure metrics for the guard curve yet');
  const shaped = shapeTarget(g.from, g.proposed, bounds, step, l.minStep, g.exact);
  if (!shaped.ok) return shaped;
  return { ok: true, to: shaped.to, bounds, factor, allowedStep: step };
}
