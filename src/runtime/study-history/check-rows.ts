// The "too few rows" gate of `study analyze`: every device of the study needs rows, and every phase it
// has a marker for needs a few, before anything is analysed; otherwise a clear error, never a thin report.

import { RigtuneError } from '../../core/errors.ts';
import { ABA_PHASES, type StudySample } from '../../study/aba/index.ts';
import type { StudyOverview } from './select.ts';

/** Fewest rows a phase with a marker must hold on every device before anything is analysed. */
export const MIN_PHASE_ROWS = 2;

/**
 * Throws RT_STUDY_DATA naming the device (and phase) when a device has no rows in the study's range, or
 * a phase that has a marker holds fewer than MIN_PHASE_ROWS rows (`source` names the snapshot folder).
 */
export function checkRows(study: StudyOverview, rows: readonly StudySample[], source: string): void {
  const times = new Map<string, number[]>();
  for (const r of rows) {
    const key = `${r.rig}\u0000${r.device}`;
    const list = times.get(key);
    if (list === undefined) times.set(key, [r.ts]);
    else list.push(r.ts);
  }
  for (const { rig, device } of study.devices) {
    const mine = study.markers.filter((m) => m.rig === rig && m.device === device);
    const ts = times.get(`${rig}\u0000${device}`) ?? [];
    const where = { file: source, rig, device };
    if (ts.length === 0)
      throw new RigtuneError(
        'RT_STUDY_DATA',
        `too few rows: no snapshot of ${rig}/${device} between ${new Date(study.fromMs).toISOString()} and ` +
          `${study.toMs === null ? 'the end of the history' : new Date(study.toMs).toISOString()}`,
        where,
      );
    for (const phase of ABA_PHASES) {
      const starts = mine.filter((m) => m.phase === phase);
      if (starts.length === 0) continue;
      const from = starts[0].ts_ms;
      const next = mine.find((m) => m.ts_ms > from && m.phase !== phase);
      const to = next === undefined ? Number.POSITIVE_INFINITY : next.ts_ms;
      const n = ts.filter((t) => t >= from && t < to).length;
      if (n < MIN_PHASE_ROWS)
        throw new RigtuneError(
          'RT_STUDY_DATA',
          `too few rows: phase ${phase} of ${rig}/${device} has ${n} snapshot row(s) (at least ${MIN_PHASE_ROWS} needed)`,
          { ...where, field: phase },
        );
    }
  }
}
