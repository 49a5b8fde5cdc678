// Watching an applied action: after the settle time, compare the watch window with the frozen baseline,
// then commit (journal validated, last-known-good) or roll back (cooldown); roll back early on heat.

import type { DeviceState } from './device-state.ts';
import { type ActiveAction, rollbackAction } from './lifecycle.ts';
import type { ActionOutcome, OutcomeCause } from './ports.ts';
import { actionRecord } from './records.ts';
import type { RigCore } from './rig-core.ts';
import { validationSettings } from './rig-core.ts';
import { summarize, type WindowSummary } from './samples.ts';
import { temperatureBreach, type ValidationReport, validateAction } from './validate.ts';

/** How long a failed rollback waits before it is tried again, ms. */
export const ROLLBACK_RETRY_MS = 30_000;

/** What a strategy learns of a finished action; `causes` are kept once each. */
export function outcomeOf(
  a: ActiveAction,
  result: ActionOutcome['result'],
  ts: number,
  report: ValidationReport | null,
  causes: readonly OutcomeCause[] = [],
): ActionOutcome {
  const e = report?.efficiency ?? null;
  return {
    id: a.id,
    device: a.device,
    kind: a.kind,
    from: a.from,
    to: a.to,
    purpose: a.purpose,
    result,
    improved: report?.improved ?? false,
    efficiencyDiffRel: e?.diff_rel ?? null,
    efficiencyCiRel: e === null ? null : [e.ci_lo_rel, e.ci_hi_rel],
    causes: [...new Set(causes)],
    tag: a.tag ?? null,
    ts,
  };
}

/** `causes`, plus `macro_rupture` when a rupture episode began on the device after the watch's settle time. */
function withRupture(d: DeviceState, causes: readonly OutcomeCause[]): OutcomeCause[] {
  const w = d.watch;
  const seen = w !== null && d.faultRuptureMs !== null && d.faultRuptureMs > w.postStartMs;
  return seen ? [...causes, 'macro_rupture'] : [...causes];
}

/** Starts validating `action` (applied at `nowMs`) against `baseline`; `cooling` per isCoolingMove. */
export function startWatch(
  core: RigCore,
  d: DeviceState,
  action: ActiveAction,
  baseline: WindowSummary,
  nowMs: number,
  cooling: boolean,
): void {
  const postStartMs = nowMs + core.o.settle_ms;
  d.watch = {
    action,
    baseline,
    appliedMs: nowMs,
    postStartMs,
    postEndMs: postStartMs + core.o.watch_ms,
    cooling,
  };
}

/**
 * Ends the watch with a rollback (`reason`, `causes` for the strategy), starts the cooldown; a failed
 * rollback is kept for retry.
 */
export async function abortWatch(
  core: RigCore,
  d: DeviceState,
  reason: string,
  causes: readonly OutcomeCause[],
  report: ValidationReport | null = null,
): Promise<void> {
  const w = d.watch;
  if (w === null) return;
  const why = withRupture(d, causes);
  const ok = await rollbackWithReport(core, w.action, reason, report);
  const nowMs = core.env.clock.nowMs();
  d.watch = null;
  d.markWrite(nowMs, core.o.settle_ms);
  d.cooldownUntilMs = Math.max(d.cooldownUntilMs ?? 0, nowMs + core.o.cooldown_ms);
  if (!ok) {
    d.pendingRollbacks.push(w.action);
    d.retryAtMs = nowMs + ROLLBACK_RETRY_MS;
  } else d.values.set(w.action.kind, w.action.from);
  const outcome = outcomeOf(w.action, 'rolled_back', nowMs, report, why);
  d.addOutcome(outcome);
  core.strategy.observe?.(outcome);
}

async function rollbackWithReport(
  core: RigCore,
  action: ActiveAction,
  reason: string,
  report: ValidationReport | null,
): Promise<boolean> {
  if (report === null) return rollbackAction(core.env, action, reason);
  // The rollback record carries the validation evidence.
  const emit = core.env.emit;
  return rollbackAction(
    {
      ...core.env,
      emit: (r) =>
        emit(
          r.kind === 'action' && r.payload.status === 'rolled_back'
            ? { ...r, payload: { ...r.payload, validation: report } }
            : r,
        ),
    },
    action,
    reason,
  );
}

/** Commits the watched action: journal validated (else roll back), record, last-known-good. */
async function commit(core: RigCore, d: DeviceState, report: ValidationReport): Promise<void> {
  const w = d.watch as NonNullable<DeviceState['watch']>;
  const a = w.action;
  const nowMs = core.env.clock.nowMs();
  try {
    await core.env.journal.mark({ type: 'validated', id: a.id, ts: nowMs });
  } catch (err) {
    core.env.onJournalFailure(err);
    // On disk the action is still in flight: undo it so disk and device agree.
    await abortWatch(core, d, 'the journal could not record the validation', ['journal'], report);
    return;
  }
  core.env.emit(
    actionRecord(core.rig, nowMs, {
      id: a.id,
      device: a.device,
      setpoint: a.kind,
      from: a.from,
      to: a.to,
      purpose: a.purpose,
      status: 'validated',
      reason: a.reason,
      validation: report,
    }),
  );
  const causes = withRupture(d, []);
  d.watch = null;
  d.lastKnownGood.set(a.kind, a.to);
  const outcome = outcomeOf(a, 'validated', nowMs, report, causes);
  d.addOutcome(outcome);
  core.strategy.observe?.(outcome);
}

/** Advances every watch: early heat rollback after the settle time, the verdict at the window's end. */
export async function checkWatches(core: RigCore, nowMs: number): Promise<void> {
  for (const d of core.devices.values()) {
    const w = d.watch;
    if (w === null) continue;
    if (nowMs >= w.postEndMs) {
      const post = summarize(d.samples, w.postStartMs, w.postEndMs, core.o.block_ms);
      const report = validateAction(w.baseline, post, validationSettings(core.o), w.cooling);
      if (report.decision === 'commit') await commit(core, d, report);
      else await abortWatch(core, d, `validation: ${report.reasons.join('; ')}`, report.failed_tests, report);
      continue;
    }
    if (nowMs >= w.postStartMs + core.o.block_ms) {
      const latest = summarize(d.samples, nowMs - core.o.block_ms, nowMs, core.o.block_ms);
      const breach = temperatureBreach(latest, w.baseline, validationSettings(core.o), w.cooling);
      if (breach !== null) await abortWatch(core, d, `early rollback: ${breach}`, ['heat_early_stop']);
    }
  }
}

/** Tries failed rollbacks again (every ROLLBACK_RETRY_MS per device). */
export async function retryRollbacks(core: RigCore, nowMs: number): Promise<void> {
  for (const d of core.devices.values()) {
    if (d.pendingRollbacks.length === 0 || nowMs < d.retryAtMs) continue;
    const still: ActiveAction[] = [];
    for (const a of d.pendingRollbacks)
      if (await rollbackAction(core.env, a, 'retry of a failed rollback', true)) d.values.set(a.kind, a.from);
      else still.push(a);
    d.pendingRollbacks = still;
    d.retryAtMs = nowMs + ROLLBACK_RETRY_MS;
    if (still.length === 0) d.markWrite(core.env.clock.nowMs(), core.o.settle_ms);
  }
}
