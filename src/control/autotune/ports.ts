// What the controller needs from outside, as interfaces: the write-ahead journal (control/journal's
// ActionJournal fits it; policy may not import it), the set-point strategy, and the kill switch.

import type { ActionPurpose, ActionStatus, IntendedAction, MarkEvent } from '../../core/action.ts';
import type { SetpointKind } from '../../core/actuator.ts';
import type { ScoreTick } from '../../core/scores.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import type { Bounds } from './guards.ts';

/** Modes of a rig: off (nothing), advise (proposals become advice), auto (guarded actions). */
export const AUTOTUNE_MODES = ['off', 'advise', 'auto'] as const;
export type AutotuneMode = (typeof AUTOTUNE_MODES)[number];

export type { ActionPurpose } from '../../core/action.ts';

/** An action as journaled before anything is written (the journal's own shape, from core). */
export type JournalIntent = IntendedAction;

/** A later step of a journaled action. */
export type JournalMark = MarkEvent;

/** A journaled action as replayed (in flight or recent). */
export interface JournaledAction extends JournalIntent {
  readonly id: string;
  readonly status: ActionStatus;
  readonly updatedMs: number;
}

/**
 * The write-ahead journal. `intend` and `mark` resolve only once the event is durable (fsynced); they
 * reject when it cannot be recorded, and the controller then does not act.
 */
export interface JournalPort {
  intend(action: JournalIntent): Promise<string>;
  mark(event: JournalMark): Promise<void>;
  /** Actions of `rig` neither validated nor rolled back. */
  inFlight(rig: string): readonly JournaledAction[];
  /** Last-known-good values of `rig`. */
  lastKnownGood(
    rig: string,
  ): readonly { readonly device: string; readonly kind: SetpointKind; readonly value: number | null }[];
  /** `rig`'s actions intended at or after `sinceMs`. */
  recent(rig: string, sinceMs: number): readonly JournaledAction[];
}

/**
 * What went wrong with an action (stable names: outcomes, records, docs/control-policy.md):
 * - validation tests: `efficiency` (interval below −margin), `insufficient_data` (too few blocks),
 *   `rejects` (reject share rose), `hw_errors` (HW-error rate rose), `temperature` (over its limit, or
 *   for a cooling move hotter than its baseline);
 * - `heat_early_stop`: the watch was cut short by a temperature;
 * - failed steps: `apply` (the write was refused or failed), `verify` (the read-back differs or
 *   failed), `journal` (the journal could not record);
 * - ended from outside: `mode` (left auto / went off), `kill_switch`, `shutdown`;
 * - `macro_rupture`: a rupture episode began on the device during the watch, after the settle time
 *   (not the action's own change: a fault may explain the window).
 */
export const OUTCOME_CAUSES = [
  'efficiency',
  'insufficient_data',
  'rejects',
  'hw_errors',
  'temperature',
  'heat_early_stop',
  'apply',
  'verify',
  'journal',
  'mode',
  'kill_switch',
  'shutdown',
  'macro_rupture',
] as const;
export type OutcomeCause = (typeof OUTCOME_CAUSES)[number];

/** How one finished action went, as strategies learn it. */
export interface ActionOutcome {
  readonly id: string;
  readonly device: string;
  readonly kind: SetpointKind;
  readonly from: number | null;
  readonly to: number | null;
  readonly purpose: ActionPurpose;
  readonly result: 'validated' | 'rolled_back' | 'failed';
  /** Efficiency interval lies above 0 (a significant gain); false when unknown. */
  readonly improved: boolean;
  /** Relative efficiency change and its interval (fractions), when validation measured it. */
  readonly efficiencyDiffRel: number | null;
  readonly efficiencyCiRel: readonly [number, number] | null;
  /**
   * Why it was rolled back or failed (every cause that applied, each once); on a validated
   * action only `macro_rupture` may appear. Empty when nothing went wrong.
   */
  readonly causes: readonly OutcomeCause[];
  /** The `tag` of the proposal the action came from; null for manual actions and untagged proposals. */
  readonly tag: string | null;
  /** Epoch ms. */
  readonly ts: number;
}

/** What a strategy sees of one (device, set-point). */
export interface StrategyView {
  readonly rig: string;
  readonly device: string;
  readonly kind: SetpointKind;
  /** Current value as a number (a default or automatic setting resolved to its numeric equivalent). */
  readonly current: number;
  /**
   * The set-point stands at the device's own setting: it reads back null (default power limit,
   * unlocked clocks, automatic fan, stock profile) or equal to the device's stated default.
   */
  readonly atDefault: boolean;
  /** Configured ∩ device limits. */
  readonly bounds: Bounds;
  /** Largest and smallest step the guard rails allow before the guard curve scales it. */
  readonly maxStep: number;
  readonly minStep: number;
  readonly lastKnownGood: number | null;
  /** This device and set-point's finished actions, oldest first (bounded). */
  readonly history: readonly ActionOutcome[];
  /** The device's latest snapshot and score (null before the first): temperatures, fan, draw, KPIs. */
  readonly snapshot: Snapshot | null;
  readonly score: ScoreTick | null;
  readonly nowMs: number;
}

/** A next set-point to try, with the sentence that explains it. */
export interface SetpointProposal {
  readonly value: number;
  readonly reason: string;
  /**
   * Opaque to the controller: echoed in the `ActionOutcome` of the action this proposal becomes (so a
   * strategy can tell its own kinds of move apart without remembering them).
   */
  readonly tag?: string;
}

/**
 * Where the next set-point comes from (the optimizer plugs in here). `propose` must be cheap and must
 * not assume its proposal is taken: it is asked on every decision pass (about once a tick) for each
 * controllable device and tuned set-point until one action starts, also in advise mode and while the
 * gate refuses; it may keep what it learns from the view's snapshot. The controller applies every guard rail to what it
 * returns. `observe` hears each finished action.
 */
export interface SetpointStrategy {
  readonly name: string;
  propose(view: StrategyView): SetpointProposal | null;
  observe?(outcome: ActionOutcome): void;
}

/** One switch for the whole service: while engaged no controller starts an action. */
export class KillSwitch {
  #engaged = false;
  #reason: string | null = null;
  readonly #listeners = new Set<(engaged: boolean) => void>();

  get engaged(): boolean {
    return this.#engaged;
  }

  get reason(): string | null {
    return this.#reason;
  }

  engage(reason: string): void {
    this.#set(true, reason);
  }

  release(): void {
    this.#set(false, null);
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (engaged: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(engaged: boolean, reason: string | null): void {
    const changed = engaged !== this.#engaged;
    this.#engaged = engaged;
    this.#reason = reason;
    if (changed) for (const l of this.#listeners) l(engaged);
  }
}
