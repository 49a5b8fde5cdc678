// A study's phase markers: built from a device's state, and sent as ControlRecords so the audit log,
// telemetry:actions:{rig} and the API show where each phase began.

import type { ControlRecord } from '../../core/sink.ts';
import type { AbaMarker, AbaPhase, StudyDevice, StudyFile } from '../../study/aba-plan/index.ts';

/** The marker of `d` entering `phase` at `tsMs`: the set-point the phase holds (see AbaMarker). */
export function markerOf(study: StudyFile, d: StudyDevice, phase: AbaPhase, tsMs: number): AbaMarker {
  const sp = d.setpoints[0];
  const autotune = sp.target === null;
  let setpoint: AbaMarker['setpoint'] = null;
  if (phase === 'A1' || phase === 'A2') setpoint = { kind: sp.kind, value: sp.baseline };
  else if (phase === 'B' && !autotune) setpoint = { kind: sp.kind, value: sp.target };
  return {
    ts_ms: tsMs,
    study_id: study.study_id,
    rig: d.rig,
    device: d.device,
    phase,
    treatment: study.plan.treatment,
    setpoint,
  };
}

/** A marker as an `action` record (purpose `study`, status `marker`): not a device write. */
export function markerRecord(m: AbaMarker): ControlRecord {
  const what = m.setpoint === null ? '' : ` at ${m.setpoint.kind} = ${m.setpoint.value ?? 'default'}`;
  return {
    kind: 'action',
    rig: m.rig,
    ts: m.ts_ms,
    payload: {
      id: null,
      device: m.device,
      setpoint: m.setpoint?.kind ?? null,
      from: null,
      to: m.setpoint?.value ?? null,
      purpose: 'study',
      status: 'marker',
      reason:
        m.phase === 'end'
          ? `study ${m.study_id}: ends (${m.treatment})`
          : `study ${m.study_id}: phase ${m.phase} begins${what} (${m.treatment})`,
      study_id: m.study_id,
      phase: m.phase,
      treatment: m.treatment,
    },
  };
}
