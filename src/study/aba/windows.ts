// Phase windows of an A-B-A study: picks the study's markers, turns each device's markers into
// A1/B/A2 windows with a settle period, and splits the device's rows into the analysed parts.

import { RigtuneError } from '../../core/errors.ts';
import {
  ABA_MARKER_PHASES,
  ABA_PHASES,
  type AbaMarker,
  type AbaOptions,
  type AbaPhase,
  type AbaSetpoint,
  type PhaseWindow,
  type StudySample,
} from './types.ts';

/** Settle defaults: the longer of 60 s and 10 % of the phase is discarded at its start. */
export const DEFAULT_SETTLE_MS = 60_000;
export const DEFAULT_SETTLE_FRACTION = 0.1;

/** One device of the study: its windows, its rows (sorted by time, one per ts) and remarks. */
export interface DeviceWindows {
  readonly rig: string;
  readonly device: string;
  readonly treatment: string;
  /** Windows of the phases present, in study order (a missing phase has none). */
  readonly windows: readonly PhaseWindow[];
  /** Every row of the device, sorted by ts, duplicates of a ts dropped (the last one kept). */
  readonly rows: readonly StudySample[];
  /** For each present phase, the index range [from, to) of its analysed rows in `rows`. */
  readonly ranges: Readonly<Partial<Record<AbaPhase, readonly [number, number]>>>;
  readonly notes: readonly string[];
}

const key = (rig: string, device: string) => `${rig}\u0000${device}`;

/**
 * The markers of one study: `studyId` if given, else the only study present. Throws
 * RT_CONFIG_INVALID when several studies are present and none is chosen, or the chosen one is absent,
 * and RT_INPUT_FORMAT for a marker with an unknown phase or a non-finite time.
 */
export function selectStudyMarkers(
  markers: readonly AbaMarker[],
  studyId: string | undefined,
): { readonly studyId: string | null; readonly markers: readonly AbaMarker[] } {
  for (const m of markers) {
    if (!(ABA_MARKER_PHASES as readonly string[]).includes(m.phase))
      throw new RigtuneError('RT_INPUT_FORMAT', `marker phase '${m.phase}' is not A1, B, A2 or end`, {
        rig: m.rig,
        device: m.device,
      });
    if (!Number.isFinite(m.ts_ms))
      throw new RigtuneError('RT_INPUT_FORMAT', 'marker ts_ms is not a finite epoch-ms time', {
        rig: m.rig,
        device: m.device,
      });
  }
  const ids = [...new Set(markers.map((m) => m.study_id))];
  if (studyId !== undefined) {
    if (!ids.includes(studyId))
      throw new RigtuneError(
        'RT_CONFIG_INVALID',
        `no markers of study '${studyId}' (found: ${ids.join(', ')})`,
      );
    return { studyId, markers: markers.filter((m) => m.study_id === studyId) };
  }
  if (ids.length > 1)
    throw new RigtuneError(
      'RT_CONFIG_INVALID',
      `markers hold several studies (${ids.join(', ')}); choose one`,
    );
  return { studyId: ids[0] ?? null, markers };
}

/** Rows grouped per device, sorted by ts; rows with a non-finite ts are dropped. */
export function groupRows(rows: readonly StudySample[]): Map<string, StudySample[]> {
  const out = new Map<string, StudySample[]>();
  for (const r of rows) {
    if (!Number.isFinite(r.ts)) continue;
    const k = key(r.rig, r.device);
    const list = out.get(k);
    if (list === undefined) out.set(k, [r]);
    else list.push(r);
  }
  for (const [k, list] of out) {
    list.sort((a, b) => a.ts - b.ts);
    const dedup: StudySample[] = [];
    for (const r of list) {
      if (dedup.length > 0 && dedup[dedup.length - 1].ts === r.ts) dedup[dedup.length - 1] = r;
      else dedup.push(r);
    }
    out.set(k, dedup);
  }
  return out;
}

interface OpenPhase {
  phase: AbaPhase;
  start: number;
  end: number | null;
  setpoint: AbaSetpoint | null;
}

/** Index of the first row with ts ≥ t (rows sorted). */
function lowerBound(rows: readonly StudySample[], t: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].ts < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One device's windows from its markers (any order) and rows (sorted). A repeated marker of the
 * current phase continues it; a phase seen again after another one is ignored with a note.
 */
export function deviceWindows(
  markers: readonly AbaMarker[],
  rows: readonly StudySample[],
  options: Pick<AbaOptions, 'settleMs' | 'settleFraction'>,
): DeviceWindows {
  const sorted = [...markers].sort((a, b) => a.ts_ms - b.ts_ms);
  const first = sorted[0];
  const notes: string[] = [];
  const phases: OpenPhase[] = [];
  const seen = new Set<AbaPhase>();
  let current: OpenPhase | null = null;
  for (const m of sorted) {
    if (current !== null && m.phase === current.phase) continue;
    if (current !== null) current.end = m.ts_ms;
    current = null;
    if (m.phase === 'end') continue;
    if (seen.has(m.phase)) {
      notes.push(
        `phase ${m.phase} starts again at ${new Date(m.ts_ms).toISOString()}; only its first run is analysed`,
      );
      continue;
    }
    seen.add(m.phase);
    current = { phase: m.phase, start: m.ts_ms, end: null, setpoint: m.setpoint };
    phases.push(current);
  }
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const settleFraction = options.settleFraction ?? DEFAULT_SETTLE_FRACTION;
  const lastTs = rows.length > 0 ? rows[rows.length - 1].ts : null;
  const windows: PhaseWindow[] = [];
  const ranges: Partial<Record<AbaPhase, readonly [number, number]>> = {};
  for (const phase of ABA_PHASES) {
    const p = phases.find((x) => x.phase === phase);
    if (p === undefined) continue;
    const openEnd = p.end === null;
    const end = p.end ?? Math.max(p.start, lastTs ?? p.start);
    const length = end - p.start;
    const settle = Math.min(length, Math.max(settleMs, settleFraction * length));
    const from = lowerBound(rows, p.start + settle);
    // An open phase includes its last sample; a closed one stops before the next marker.
    const to = openEnd ? rows.length : lowerBound(rows, end);
    const range: [number, number] = [from, Math.max(from, to)];
    ranges[phase] = range;
    if (openEnd) notes.push(`phase ${phase} has no closing marker; it runs to the last sample`);
    windows.push({
      phase,
      start_ms: p.start,
      end_ms: end,
      analysed_from_ms: p.start + settle,
      settle_ms: settle,
      open_end: openEnd,
      samples: range[1] - range[0],
      setpoint: p.setpoint,
    });
  }
  return {
    rig: first.rig,
    device: first.device,
    treatment: first.treatment,
    windows,
    rows,
    ranges,
    notes,
  };
}

/**
 * Every marked device's windows (in first-marker order) for the chosen study, plus study-level
 * warnings (marked devices without rows). This is what a report draws its phase bands from.
 */
export function studyWindows(
  rows: readonly StudySample[],
  markers: readonly AbaMarker[],
  options: Pick<AbaOptions, 'studyId' | 'settleMs' | 'settleFraction'>,
): { readonly studyId: string | null; readonly devices: DeviceWindows[]; readonly warnings: string[] } {
  const chosen = selectStudyMarkers(markers, options.studyId);
  const byDevice = new Map<string, AbaMarker[]>();
  for (const m of chosen.markers) {
    const k = key(m.rig, m.device);
    const list = byDevice.get(k);
    if (list === undefined) byDevice.set(k, [m]);
    else list.push(m);
  }
  const grouped = groupRows(rows);
  const warnings: string[] = [];
  const devices: DeviceWindows[] = [];
  for (const [k, list] of byDevice) {
    const deviceRows = grouped.get(k) ?? [];
    if (deviceRows.length === 0) warnings.push(`${list[0].rig}/${list[0].device}: markers but no samples`);
    devices.push(deviceWindows(list, deviceRows, options));
  }
  let unmarked = 0;
  for (const k of grouped.keys()) if (!byDevice.has(k)) unmarked++;
  if (unmarked > 0)
    warnings.push(`${unmarked} device(s) with samples but no markers of this study were ignored`);
  return { studyId: chosen.studyId, devices, warnings };
}
