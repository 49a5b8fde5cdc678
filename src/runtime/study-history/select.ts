// Picks one study out of the markers (by --study, or the only one) and works out what to load for it:
// its devices and the time range from its first marker to its last `end` marker (open when not ended).

import { RigtuneError } from '../../core/errors.ts';
import type { AbaMarker } from '../../study/aba/index.ts';
import type { DeviceKey } from './snapshots.ts';

/** One study found in the markers. */
export interface StudyOverview {
  readonly studyId: string;
  readonly treatment: string;
  readonly devices: readonly DeviceKey[];
  /** First marker, epoch ms. */
  readonly fromMs: number;
  /** Last `end` marker when every device has one, else null (the study is running or was cut short). */
  readonly toMs: number | null;
  /** The study's markers in time order. */
  readonly markers: readonly AbaMarker[];
}

/** Every study in the markers, by id. */
export function listStudies(markers: readonly AbaMarker[]): StudyOverview[] {
  const byId = new Map<string, AbaMarker[]>();
  for (const m of markers) {
    const list = byId.get(m.study_id);
    if (list === undefined) byId.set(m.study_id, [m]);
    else list.push(m);
  }
  const out: StudyOverview[] = [];
  for (const [studyId, list] of [...byId].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const sorted = [...list].sort((a, b) => a.ts_ms - b.ts_ms);
    const devices = new Map<string, DeviceKey>();
    const ended = new Map<string, number>();
    for (const m of sorted) {
      const key = `${m.rig}\u0000${m.device}`;
      if (!devices.has(key)) devices.set(key, { rig: m.rig, device: m.device });
      if (m.phase === 'end') ended.set(key, m.ts_ms);
    }
    const allEnded = [...devices.keys()].every((k) => ended.has(k));
    out.push({
      studyId,
      treatment: sorted.find((m) => m.treatment !== '')?.treatment ?? '',
      devices: [...devices.values()].sort((a, b) =>
        a.rig === b.rig ? (a.device < b.device ? -1 : 1) : a.rig < b.rig ? -1 : 1,
      ),
      fromMs: sorted[0].ts_ms,
      toMs: allEnded ? Math.max(...ended.values()) : null,
      markers: sorted,
    });
  }
  return out;
}

function describe(s: StudyOverview): string {
  const from = new Date(s.fromMs).toISOString();
  const to = s.toMs === null ? 'not ended' : new Date(s.toMs).toISOString();
  return `${s.studyId} (${s.devices.length} device(s), ${from} → ${to})`;
}

/**
 * The study with id `studyId`, or the only one when `studyId` is undefined. Throws RT_CLI_USAGE (field
 * `study`) listing the studies present when the id is unknown or several exist and none was chosen.
 */
export function selectStudy(
  markers: readonly AbaMarker[],
  studyId: string | undefined,
  source: string,
): StudyOverview {
  const studies = listStudies(markers);
  const list = studies.map(describe).join('; ');
  if (studyId !== undefined) {
    const found = studies.find((s) => s.studyId === studyId);
    if (found === undefined)
      throw new RigtuneError(
        'RT_CLI_USAGE',
        `--study: no study '${studyId}' in ${source}; studies present: ${list}`,
        {
          field: 'study',
        },
      );
    return found;
  }
  if (studies.length > 1)
    throw new RigtuneError(
      'RT_CLI_USAGE',
      `--study: ${source} holds ${studies.length} studies, pick one with --study ID: ${list}`,
      { field: 'study' },
    );
  return studies[0];
}
