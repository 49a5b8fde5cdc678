// One controlled device as the controller tracks it: its limits, recent samples and scores, action
// times, cooldown, the action under validation and a rollback still to retry.

import type { DeviceControl, SetpointKind } from '../../core/actuator.ts';
import type { ScoreTick } from '../../core/scores.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import type { GuardMetrics } from '../../kernel/guards/index.ts';
import { guardMetricsOf } from './guards.ts';
import type { ActiveAction } from './lifecycle.ts';
import type { ActionOutcome } from './ports.ts';
import { type DeviceSample, summarize, toSample, type WindowSummary } from './samples.ts';

/** An action under validation: its frozen baseline and its watch window (epoch ms). */
export interface Watch {
  readonly action: ActiveAction;
  readonly baseline: WindowSummary;
  readonly appliedMs: number;
  readonly postStartMs: number;
  readonly postEndMs: number;
  /** The move sheds heat by its direction: temperatures are judged against the baseline. */
  readonly cooling: boolean;
}

/** Outcomes kept per (device, set-point) for strategies. */
const HISTORY = 20;

export class DeviceState {
  readonly device: string;
  control: DeviceControl | null = null;
  samples: DeviceSample[] = [];
  lastTick: ScoreTick | null = null;
  current: GuardMetrics | null = null;
  previous: GuardMetrics | null = null;
  lastActionMs: number | null = null;
  cooldownUntilMs: number | null = null;
  /** Samples before this time are not a valid baseline (a write was settling). */
  stableSinceMs = Number.NEGATIVE_INFINITY;
  /** End of the settle time after this device's latest write: a rupture before it is the action's own. */
  settleEndMs = Number.NEGATIVE_INFINITY;
  watch: Watch | null = null;
  /** Rolled-back actions whose rollback failed; retried until the device takes them. */
  pendingRollbacks: ActiveAction[] = [];
  /** When the pending rollbacks are tried next, epoch ms. */
  retryAtMs = 0;
  /** An action of this device is between intent and the start of its watch. */
  applying = false;
  /** Set-points as last read back from the device (null = default / automatic / unlocked). */
  readonly values = new Map<SetpointKind, number | null>();
  /** Last-known-good and finished actions per set-point. */
  readonly lastKnownGood = new Map<SetpointKind, number | null>();
  readonly history = new Map<SetpointKind, ActionOutcome[]>();
  /**
   * Latest macro score of a rupture episode (consecutive meso/macro scores) that began after the settle
   * time of the write before it: a change the action did not make (epoch ms; null = none yet).
   */
  faultRuptureMs: number | null = null;
  #prev: Snapshot | null = null;
  /** Start of the current run of meso/macro scores; null while calm. */
  #ruptureSinceMs: number | null = null;

  constructor(device: string) {
    this.device = device;
  }

  /** Adds a snapshot's sample and drops samples older than `keepMs` before it. */
  addSnapshot(s: Snapshot, keepMs: number): void {
    if (this.#prev !== null && s.ts <= this.#prev.ts) return;
    this.samples.push(toSample(this.#prev, s));
    this.#prev = s;
    const horizon = s.ts - keepMs;
    let drop = 0;
    while (drop < this.samples.length && this.samples[drop].ts < horizon) drop++;
    if (drop > 0) this.samples.splice(0, drop);
  }

  /** The latest snapshot. */
  get lastSnapshot(): Snapshot | null {
    return this.#prev;
  }

  /**
   * Takes a score. A macro rupture starts a cooldown unless it falls in the settle time of this
   * device's own latest write (that change is the action's, and validation judges it).
   */
  addTick(t: ScoreTick, nowMs: number, cooldownMs: number): void {
    if (this.lastTick !== null && t.ts <= this.lastTick.ts) return;
    const metrics = guardMetricsOf(t);
    if (metrics !== null) {
      this.previous = this.current;
      this.current = metrics;
    }
    this.lastTick = t;
    if (t.rupture_class === 'macro' && t.ts > this.settleEndMs)
      this.cooldownUntilMs = Math.max(this.cooldownUntilMs ?? 0, nowMs + cooldownMs);
    if (t.rupture_class === 'meso' || t.rupture_class === 'macro') {
      this.#ruptureSinceMs ??= t.ts;
      if (t.rupture_class === 'macro' && this.#ruptureSinceMs > this.settleEndMs) this.faultRuptureMs = t.ts;
    } else this.#ruptureSinceMs = null;
  }

  /** True while an action is being applied, validated, or a rollback is pending. */
  get busy(): boolean {
    return this.applying || this.watch !== null || this.pendingRollbacks.length > 0;
  }

  /** The baseline window ending at `nowMs`: at most `baselineMs` long, never before the last settle. */
  baseline(nowMs: number, baselineMs: number, blockMs: number): WindowSummary {
    const start = Math.max(nowMs - baselineMs, this.stableSinceMs);
    return summarize(this.samples, start, nowMs, blockMs);
  }

  /** Marks a write at `nowMs`: samples before `nowMs + settleMs` do not count as steady state. */
  markWrite(nowMs: number, settleMs: number): void {
    this.settleEndMs = nowMs + settleMs;
    this.stableSinceMs = nowMs + settleMs;
  }

  addOutcome(o: ActionOutcome): void {
    const list = this.history.get(o.kind) ?? [];
    list.push(o);
    if (list.length > HISTORY) list.shift();
    this.history.set(o.kind, list);
  }
}
