// Choosing the next action: ask the strategy for each (device, set-point), pass the proposal through the
// gate, then act (auto) or advise (advise mode, de-duplicated); at most one new action per tick.

import type { SetpointKind } from '../../core/actuator.ts';
import type { DeviceState } from './device-state.ts';
import { type GateResult, gateProposal } from './gate.ts';
import { intersectBounds } from './guards.ts';
import { type ActiveAction, executeAction } from './lifecycle.ts';
import { adviceRecord } from './records.ts';
import {
  gateLimits,
  isBaselineReady,
  isDefaultValue,
  pruneActionTimes,
  type RigCore,
  referenceValue,
  validatingCount,
} from './rig-core.ts';
import { isCoolingMove } from './validate.ts';
import { callActuator, matchesSetpoint } from './verify.ts';
import { outcomeOf, ROLLBACK_RETRY_MS, startWatch } from './watcher.ts';

/** The latest refusal per device and set-point (status / API), kept by the planner. */
export interface Refusal {
  readonly kind: SetpointKind;
  readonly guard: string;
  readonly reason: string;
  readonly ts: number;
}

/** Runs the gate for `value` on one device and set-point, from the device's current value `ref`. */
export function gateFor(
  core: RigCore,
  d: DeviceState,
  kind: SetpointKind,
  ref: number,
  value: number,
  exact: boolean,
  nowMs: number,
): GateResult {
  pruneActionTimes(core, nowMs);
  return gateProposal({
    nowMs,
    device: {
      busy: d.busy,
      lastActionMs: d.lastActionMs,
      cooldownUntilMs: d.cooldownUntilMs,
      ruptureClass: d.lastTick?.rupture_class ?? null,
      lastScoreMs: d.lastTick?.ts ?? null,
      current: d.current,
      previous: d.previous,
      baselineReady: isBaselineReady(
        core.o,
        d.baseline(nowMs, core.o.baseline_ms, core.o.block_ms).efficiencyBlocks.length,
      ),
    },
    rig: {
      killed: core.killSwitch.engaged,
      journalBroken: core.journalBroken,
      actionTimesMs: core.actionTimesMs,
      validating: validatingCount(core),
    },
    limits: gateLimits(core.o, kind),
    deviceLimits: d.control?.limits[kind],
    configured: core.o.bounds[kind],
    from: ref,
    proposed: value,
    exact,
  });
}

/**
 * Acts on a gated target: re-reads the device (the value must still be the one the gate saw), freezes
 * the baseline, executes, and starts the watch. Returns the action, or a refusal reason. `tag` (the
 * proposal's) comes back in the action's outcome.
 */
export async function act(
  core: RigCore,
  d: DeviceState,
  kind: SetpointKind,
  to: number,
  reason: string,
  purpose: 'tune' | 'manual',
  gate: Extract<GateResult, { ok: true }>,
  tag?: string,
): Promise<{ action: ActiveAction } | { error: string }> {
  const limits = d.control?.limits[kind];
  const nowMs = core.env.clock.nowMs();
  const known = d.values.get(kind) ?? null;
  d.applying = true;
  try {
    const fresh = await callActuator(core.env, `read ${kind} on ${d.device}`, (ctx) =>
      core.env.actuator.read(d.device, kind, ctx),
    ).catch((err: Error) => err);
    if (fresh instanceof Error) return { error: `read before the write failed: ${fresh.message}` };
    d.values.set(kind, fresh);
    if (!matchesSetpoint(fresh, known, limits))
      return { error: `the device changed: ${kind} reads ${fresh ?? 'default'}` };
    const baseline = d.baseline(nowMs, core.o.baseline_ms, core.o.block_ms);
    core.actionTimesMs.push(nowMs);
    d.lastActionMs = nowMs;
    core.touched.add(d.device);
    const result = await executeAction(core.env, {
      device: d.device,
      kind,
      from: fresh,
      to,
      reason,
      purpose,
      limits,
      throttleFactor: gate.factor,
      allowedStep: gate.allowedStep,
      ...(tag === undefined ? {} : { tag }),
    });
    const endMs = core.env.clock.nowMs();
    d.markWrite(endMs, core.o.settle_ms);
    if (result.status === 'verified') {
      d.values.set(kind, result.readback);
      const ref = limits === undefined ? null : referenceValue(kind, fresh, limits, d.lastSnapshot);
      startWatch(core, d, result.action, baseline, endMs, ref !== null && isCoolingMove(kind, ref, to));
      return { action: result.action };
    }
    d.cooldownUntilMs = endMs + core.o.cooldown_ms;
    if (result.action !== null) {
      if (!result.restored) {
        d.pendingRollbacks.push(result.action);
        d.retryAtMs = endMs + ROLLBACK_RETRY_MS;
      } else d.values.set(kind, fresh);
      const outcome = outcomeOf(result.action, 'failed', endMs, null, [result.phase]);
      d.addOutcome(outcome);
      core.strategy.observe?.(outcome);
    }
    return { error: result.error };
  } finally {
    d.applying = false;
  }
}

/**
 * One planning pass (auto or advise mode): at most one new action. Refusals land in `refusals`. In
 * advise mode the gated target becomes a `tune_setpoint` advice instead.
 */
export async function plan(core: RigCore, nowMs: number, refusals: Map<string, Refusal>): Promise<void> {
  const names = [...core.devices.keys()].sort();
  for (const name of names) {
    const d = core.devices.get(name) as DeviceState;
    const control = d.control;
    if (control === null) continue;
    for (const kind of core.o.setpoints) {
      const limits = control.limits[kind];
      if (limits === undefined || !d.values.has(kind)) continue;
      const ref = referenceValue(kind, d.values.get(kind) ?? null, limits, d.lastSnapshot);
      const bounds = intersectBounds(limits, core.o.bounds[kind]);
      if (ref === null || bounds === null) continue;
      const proposal = core.strategy.propose({
        rig: core.rig,
        device: name,
        kind,
        current: ref,
        atDefault: isDefaultValue(d.values.get(kind) ?? null, limits),
        bounds,
        maxStep: core.o.max_step[kind],
        minStep: core.o.min_step[kind],
        lastKnownGood: d.lastKnownGood.get(kind) ?? null,
        history: d.history.get(kind) ?? [],
        snapshot: d.lastSnapshot,
        score: d.lastTick,
        nowMs,
      });
      if (proposal === null) continue;
      const gate = gateFor(core, d, kind, ref, proposal.value, false, nowMs);
      const key = `${name}\u0000${kind}`;
      if (!gate.ok) {
        refusals.set(key, { kind, guard: gate.guard, reason: gate.reason, ts: nowMs });
        continue;
      }
      refusals.delete(key);
      if (core.mode === 'advise') {
        advise(core, d, kind, ref, gate, proposal.reason, nowMs);
        continue;
      }
      await act(core, d, kind, gate.to, proposal.reason, 'tune', gate, proposal.tag);
      return;
    }
  }
}

function advise(
  core: RigCore,
  d: DeviceState,
  kind: SetpointKind,
  ref: number,
  gate: Extract<GateResult, { ok: true }>,
  reason: string,
  nowMs: number,
): void {
  const to = gate.to;
  // One advice per device, set-point and direction per TTL (a guard-scaled step may vary by a unit).
  const key = `${d.device}\u0000${kind}\u0000${Math.sign(to - ref)}`;
  if ((core.advised.get(key) ?? Number.NEGATIVE_INFINITY) > nowMs) return;
  core.advised.set(key, nowMs + core.o.advice_ttl_ms);
  for (const [k, until] of core.advised) if (until <= nowMs) core.advised.delete(k);
  core.env.emit(
    adviceRecord(core.rig, nowMs, {
      kind: 'tune_setpoint',
      device: d.device,
      setpoint: kind,
      by: to - ref,
      reason: `Set ${kind} of ${d.device} from ${ref} to ${to}: ${reason} (advise mode: not applied).`,
      evidence: {
        strategy: core.strategy.name,
        from: ref,
        to,
        throttle_factor: gate.factor,
        allowed_step: gate.allowedStep,
      },
      severity: 'info',
      ttlMs: core.o.advice_ttl_ms,
    }),
  );
}
