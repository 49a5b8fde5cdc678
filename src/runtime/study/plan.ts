// Checking a new study against the rigs before anything is written: controllable devices, the kill
// switch, auto-tune modes, other running studies, and each treatment target against the guard rails.

import { intersectBounds, shapeTarget } from '../../control/autotune/index.ts';
import type { DeviceControl, SetpointKind, SetpointLimits } from '../../core/actuator.ts';
import { RigtuneError } from '../../core/errors.ts';
import type { PhaseDurations, StudyDevice, Treatment } from '../../study/aba-plan/index.ts';
import { treatmentTarget } from '../../study/aba-plan/index.ts';
import type { StudyControl, StudyStore } from './ports.ts';

/** A study as asked for (`rigtune study run`). */
export interface StudyRequest {
  readonly id: string;
  readonly rigs: readonly string[];
  /** `rig/device` names; null = every device of the rigs that offers the treatment's set-point. */
  readonly devices: readonly string[] | null;
  readonly treatment: Treatment;
  readonly durations: PhaseDurations;
}

function refuse(message: string, rig?: string, device?: string): never {
  throw new RigtuneError('RT_STUDY_REFUSED', message, { rig, device });
}

/** The numeric value a set-point stands at (null = default: its stated default, an unlocked clock's max). */
export function referenceOf(kind: SetpointKind, value: number | null, limits: SetpointLimits): number | null {
  if (value !== null) return value;
  if (limits.default !== undefined && limits.default !== null) return limits.default;
  if (kind === 'clock_core_max_mhz' || kind === 'clock_mem_max_mhz') return limits.max;
  if (kind === 'profile_step') return 0;
  return null;
}

/** The devices of `rig` the request selects (all of them when it names none of this rig). */
function selected(req: StudyRequest, rig: string, controls: readonly DeviceControl[]): DeviceControl[] {
  if (req.devices === null) return [...controls];
  const names = req.devices.filter((d) => d.startsWith(`${rig}/`)).map((d) => d.slice(rig.length + 1));
  const offered = controls.map((c) => c.device);
  return names.map((name) => {
    const c = controls.find((x) => x.device === name);
    if (c === undefined)
      refuse(
        `${rig}/${name} is not controllable (the actuator offers: ${offered.join(', ') || 'none'})`,
        rig,
        name,
      );
    return c;
  });
}

/**
 * The study's devices with their baselines (read now) and B targets, or RT_STUDY_REFUSED saying why
 * not. Reads devices; writes nothing.
 */
export async function planDevices(
  req: StudyRequest,
  control: StudyControl,
  store: StudyStore,
  nowMs: number,
): Promise<StudyDevice[]> {
  const kill = control.killSwitch();
  if (kill.engaged)
    refuse(`the kill switch is engaged (${kill.reason ?? 'no reason given'}): no study starts`);
  for (const other of await store.running(req.id)) {
    const shared = other.plan.rigs.filter((r) => req.rigs.includes(r));
    if (shared.length > 0)
      refuse(`study ${other.study_id} is still running on ${shared.join(', ')}; finish or abort it first`);
  }
  for (const d of req.devices ?? [])
    if (!req.rigs.some((r) => d.startsWith(`${r}/`)))
      refuse(`--devices ${d}: not a device of --rigs ${req.rigs.join(',')}`);
  const out: StudyDevice[] = [];
  for (const rig of req.rigs) {
    if (!control.rigs().includes(rig))
      refuse(`rig ${rig} has no actuator in the configuration: it is not controllable`, rig);
    const mode = control.mode(rig);
    if (req.treatment.type === 'autotune') {
      if (mode === null) refuse(`rig ${rig} has no auto-tune controller`, rig);
      if (mode === 'auto')
        refuse(`rig ${rig} is already in auto mode: there is no baseline to compare with`, rig);
    } else if (mode === 'auto')
      refuse(
        `rig ${rig} is in auto mode: auto-tune would move the set-points under the study (set it to advise)`,
        rig,
      );
    const controls = await control
      .describe(rig)
      .catch((err: Error) => refuse(`rig ${rig}: ${err.message}`, rig));
    const o = control.options(rig);
    for (const c of selected(req, rig, controls)) {
      const t = req.treatment;
      const kinds = t.type === 'autotune' ? o.setpoints : [t.kind];
      const setpoints: StudyDevice['setpoints'] = [];
      for (const kind of kinds) {
        const limits = c.limits[kind];
        if (limits === undefined) continue;
        const baseline = await control
          .read(rig, c.device, kind)
          .catch((err: Error) => refuse(`${rig}/${c.device}: ${err.message}`, rig, c.device));
        if (t.type === 'autotune') {
          setpoints.push({ kind, baseline, target: null });
          continue;
        }
        const ref = referenceOf(kind, baseline, limits);
        if (ref === null)
          refuse(
            `${rig}/${c.device}: ${kind} stands at the device default, which it does not state; give an absolute value`,
            rig,
            c.device,
          );
        const target = treatmentTarget(t, ref);
        const bounds = intersectBounds(limits, o.bounds[kind]);
        if (bounds === null)
          refuse(
            `${rig}/${c.device}: the configured ${kind} bounds do not overlap the device's`,
            rig,
            c.device,
          );
        const shaped = shapeTarget(ref, target, bounds, o.max_step[kind], 0, true);
        if (!shaped.ok)
          refuse(
            `${rig}/${c.device}: treatment ${t.text} (${ref} → ${target}) refused by guard ${shaped.guard}: ${shaped.reason}` +
              (shaped.guard === 'max_step' ? ` (autotune.max_step.${kind} of rig ${rig})` : ''),
            rig,
            c.device,
          );
        setpoints.push({ kind, baseline, target: shaped.to });
      }
      if (setpoints.length === 0) {
        if (req.devices !== null)
          refuse(
            `${rig}/${c.device} offers none of ${kinds.join(', ')}: it is not controllable for this treatment`,
            rig,
            c.device,
          );
        continue;
      }
      out.push({ rig, device: c.device, phase: 'A1', started_ms: { A1: nowMs }, setpoints });
    }
  }
  if (out.length === 0)
    refuse(`no device of ${req.rigs.join(', ')} can take treatment ${req.treatment.text}`);
  return out;
}
