// The phase machine of one device in an A-B-A study, pure: which phase is due next at a given time,
// entering it, and the nominal schedule. Phases are timed from when they actually began (resume-safe).

import { RigtuneError } from '../../core/errors.ts';
import { ABA_PHASES, type AbaPhase } from './marker.ts';

/** How long each phase lasts once entered, ms. */
export interface PhaseDurations {
  readonly A1: number;
  readonly B: number;
  readonly A2: number;
}

/** Where one device stands: its phase and when each phase so far began (epoch ms). */
export interface DevicePhaseState {
  readonly phase: AbaPhase;
  readonly startedMs: Readonly<Partial<Record<AbaPhase, number>>>;
}

/** A device entering A1 at `tsMs` (the start of a study). */
export function startState(tsMs: number): DevicePhaseState {
  return { phase: 'A1', startedMs: { A1: tsMs } };
}

/** The phase after `phase`; null after `end`. */
export function nextPhase(phase: AbaPhase): AbaPhase | null {
  const i = ABA_PHASES.indexOf(phase);
  return i + 1 < ABA_PHASES.length ? ABA_PHASES[i + 1] : null;
}

/** When the current phase ends (epoch ms); null at `end`. */
export function phaseEndMs(s: DevicePhaseState, d: PhaseDurations): number | null {
  if (s.phase === 'end') return null;
  const start = s.startedMs[s.phase];
  if (start === undefined)
    throw new RigtuneError('RT_STUDY_STATE', `phase ${s.phase} has no start time`, { field: 'started_ms' });
  return start + d[s.phase];
}

/**
 * The phase due at `nowMs`: the next one once the current phase has run its full duration (however long
 * ago that was: after a restart a phase past its end moves on, and the next is timed from its entry),
 * else null.
 */
export function duePhase(s: DevicePhaseState, nowMs: number, d: PhaseDurations): AbaPhase | null {
  const end = phaseEndMs(s, d);
  return end !== null && nowMs >= end ? nextPhase(s.phase) : null;
}

/** `s` moved into `phase` at `tsMs`. Throws RT_STUDY_STATE when `phase` is not the next one. */
export function enterPhase(s: DevicePhaseState, phase: AbaPhase, tsMs: number): DevicePhaseState {
  if (nextPhase(s.phase) !== phase)
    throw new RigtuneError('RT_STUDY_STATE', `cannot go from phase ${s.phase} to ${phase}`, {
      field: 'phase',
    });
  return { phase, startedMs: { ...s.startedMs, [phase]: tsMs } };
}

/** `s` ended early at `tsMs` (an aborted study): phase `end`, unless it already ended. */
export function endEarly(s: DevicePhaseState, tsMs: number): DevicePhaseState {
  if (s.phase === 'end') return s;
  return { phase: 'end', startedMs: { ...s.startedMs, end: tsMs } };
}

/** The nominal schedule of a study started at `startMs` (each phase starting when the previous ends). */
export function nominalSchedule(startMs: number, d: PhaseDurations): Readonly<Record<AbaPhase, number>> {
  return { A1: startMs, B: startMs + d.A1, A2: startMs + d.A1 + d.B, end: startMs + d.A1 + d.B + d.A2 };
}
