// The life of a set-point action as the control layer records it: one shape shared by the auto-tune
// policy (which writes it) and the write-ahead journal (which stores it), since neither may import the other.

import type { SetpointKind } from './actuator.ts';

/** Why an action was taken: a tuning step, an operator's set-point, or a restore to configured safe values. */
export const ACTION_PURPOSES = ['tune', 'manual', 'restore'] as const;
export type ActionPurpose = (typeof ACTION_PURPOSES)[number];

/** Where an action stands. `validated` and `rolled_back` end it; the others leave it in flight. */
export const ACTION_STATUSES = [
  'intended',
  'applied',
  'verified',
  'failed',
  'validated',
  'rolled_back',
] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Which step failed: the write, its read-back, or the write that undoes it. */
export const FAILURE_PHASES = ['apply', 'verify', 'rollback'] as const;
export type FailurePhase = (typeof FAILURE_PHASES)[number];

/** An action as intended, before anything is written to the device. Values in the set-point's unit. */
export interface IntendedAction {
  /** Epoch ms. */
  readonly ts: number;
  readonly rig: string;
  readonly device: string;
  readonly kind: SetpointKind;
  /** The set-point before the action (null = device default / automatic). */
  readonly from: number | null;
  readonly to: number | null;
  readonly reason: string;
  readonly purpose: ActionPurpose;
}

/** A later step of an action, by id; `ts` epoch ms. */
export type MarkEvent =
  | { readonly type: 'applied'; readonly id: string; readonly ts: number }
  | { readonly type: 'verified'; readonly id: string; readonly ts: number; readonly readback: number | null }
  | {
      readonly type: 'failed';
      readonly id: string;
      readonly ts: number;
      readonly phase: FailurePhase;
      readonly error: string;
    }
  | { readonly type: 'validated'; readonly id: string; readonly ts: number }
  | { readonly type: 'rolled_back'; readonly id: string; readonly ts: number; readonly reason: string };
