// One line per rig for GET /api/rigs: how many devices, the worst rupture class and the lowest
// sep_score, so a fleet view can sort by trouble without fetching every rig's full state.

import { RUPTURE_CLASSES, type RuptureClass } from '../core/scores.ts';
import type { RigState } from '../core/sink.ts';
import type { ConfiguredSource } from './types.ts';

/**
 * `waiting`: configured, no score yet; `scored`: has a latest state; `removed`: has a state but is no
 * longer in the configuration (a reload removed it; its last state is kept).
 */
export type RigStatus = 'waiting' | 'scored' | 'removed';

/** Summary of one rig; every field but `rig` is null while the rig has not been scored yet. */
export interface RigSummary {
  readonly rig: string;
  readonly status: RigStatus;
  /** The rig's configured sources and whether they answer; empty for a rig not configured. */
  readonly sources: readonly ConfiguredSource[];
  /** Time of the newest score, epoch ms. */
  readonly ts: number | null;
  /** Devices with a score. */
  readonly devices: number;
  /** Most severe rupture class over the devices' newest scores. */
  readonly worst_rupture_class: RuptureClass | null;
  /** Lowest sep_score (0–100) over the devices; null when no device has one yet. */
  readonly min_sep_score: number | null;
  /** Device with the lowest sep_score (first by name on a tie). */
  readonly min_sep_score_device: string | null;
}

/** The status of a rig with `state` and configured `sources` (as for summarizeRig). */
export function rigStatus(
  state: RigState | null,
  sources: readonly ConfiguredSource[] | null | undefined,
): RigStatus {
  return state === null ? 'waiting' : sources === null ? 'removed' : 'scored';
}

/**
 * Summarizes `state` (null = not scored yet). `sources`: the rig's configured sources, or null when
 * the rig is not in the configuration; undefined when the caller has no configuration view.
 */
export function summarizeRig(
  rig: string,
  state: RigState | null,
  sources?: readonly ConfiguredSource[] | null,
): RigSummary {
  const head = { rig, status: rigStatus(state, sources), sources: sources ?? [] };
  if (state === null) {
    return {
      ...head,
      ts: null,
      devices: 0,
      worst_rupture_class: null,
      min_sep_score: null,
      min_sep_score_device: null,
    };
  }
  let worst = 0;
  let minScore: number | null = null;
  let minDevice: string | null = null;
  for (const d of state.devices) {
    worst = Math.max(worst, RUPTURE_CLASSES.indexOf(d.rupture_class));
    if (d.sep_score !== null && (minScore === null || d.sep_score < minScore)) {
      minScore = d.sep_score;
      minDevice = d.device;
    }
  }
  return {
    ...head,
    ts: state.ts,
    devices: state.devices.length,
    worst_rupture_class: state.devices.length > 0 ? RUPTURE_CLASSES[worst] : null,
    min_sep_score: minScore,
    min_sep_score_device: minDevice,
  };
}
