// What the study runner needs from outside, as interfaces: the guarded set-point path of a rig (the
// auto-tune controller's journal-write-verify machinery), the rig's auto-tune mode, and the study files.

import type { AutotuneMode, AutotuneOptions } from '../../control/autotune/index.ts';
import type { DeviceControl, SetpointKind, SetpointLimits } from '../../core/actuator.ts';
import type { AbaMarker, StudyFile } from '../../study/aba-plan/index.ts';

/** One set-point change of one device; values in the set-point's unit, null = the device default. */
export interface SetpointChange {
  readonly rig: string;
  readonly device: string;
  readonly kind: SetpointKind;
  readonly from: number | null;
  readonly to: number | null;
  readonly limits: SetpointLimits | undefined;
  readonly reason: string;
}

/** A treatment being held: the journaled action that `undo` writes back. */
export interface HeldChange extends SetpointChange {
  /** Journal id of the action. */
  readonly id: string;
}

/** How a guarded write ended; on failure the device was rolled back (`restored`) or could not be. */
export type ChangeResult =
  | { readonly ok: true; readonly held: HeldChange; readonly readback: number | null }
  | { readonly ok: false; readonly error: string; readonly restored: boolean };

/**
 * The guarded set-point path of the service's rigs. Every write is journaled before it is made and
 * read back after it (the auto-tune controller's own action lifecycle); action records reach the sinks.
 */
export interface StudyControl {
  /** Rigs with an actuator, in configuration order. */
  rigs(): readonly string[];
  /** The rig's controllable devices and their limits. Throws ActuatorError. */
  describe(rig: string): Promise<readonly DeviceControl[]>;
  /** The set-point as the device reports it now (independent read-back). Throws ActuatorError. */
  read(rig: string, device: string, kind: SetpointKind): Promise<number | null>;
  /** The rig's auto-tune options (configured bounds, max steps, tuned set-points, timeouts). */
  options(rig: string): AutotuneOptions;
  killSwitch(): { readonly engaged: boolean; readonly reason: string | null };
  /** The rig's auto-tune mode now; null when the rig has no controller. */
  mode(rig: string): AutotuneMode | null;
  setMode(rig: string, mode: AutotuneMode): Promise<void>;
  /** Journals (purpose manual), writes, reads back; the action stays in flight until `undo`. */
  apply(change: SetpointChange): Promise<ChangeResult>;
  /** Writes the held action's `from` back, verifies it, journals rolled_back. False when it did not take. */
  undo(held: HeldChange, reason: string): Promise<boolean>;
  /** Journals (purpose restore), writes, reads back and journals it validated (a known value). */
  restore(change: SetpointChange): Promise<ChangeResult>;
  /** An in-flight action the journal has for this device and set-point to `to` (resume), or null. */
  adopt(rig: string, device: string, kind: SetpointKind, to: number | null): HeldChange | null;
}

/** Where a study's state and markers go. */
export interface StudyStore {
  /** Replaces study.json atomically. */
  save(study: StudyFile): Promise<void>;
  /** Appends to markers.ndjson (fsynced) and writes the Parquet `aba_markers` rows. */
  appendMarkers(markers: readonly AbaMarker[]): Promise<void>;
  /** Studies other than `exceptId` whose study.json says running. */
  running(exceptId: string): Promise<readonly StudyFile[]>;
}
