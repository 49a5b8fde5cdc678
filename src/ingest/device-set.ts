// The devices one source has read: routes each poll's snapshots to their DeviceTrack, sorts them
// into fresh (grouped per rig), stale and out-of-order, and reports freshness transitions.

import type { RigtuneError } from '../core/errors.ts';
import type { Snapshot } from '../core/snapshot.ts';
import type { DeviceSeriesOptions } from '../telemetry/index.ts';
import { DeviceTrack } from './device-track.ts';
import type { DeviceState } from './types.ts';

/** One poll's snapshots, sorted. */
export interface Batch {
  /** Fresh samples per rig, each device's in emission order. */
  readonly byRig: Map<string, Snapshot[]>;
  readonly fresh: number;
  readonly stale: number;
  readonly outOfOrder: readonly { readonly device: string; readonly error: RigtuneError }[];
}

/** A device whose state changed, with the constant message for the event. */
export interface Transition {
  readonly track: DeviceTrack;
  readonly state: DeviceState;
  readonly msg: string;
}

const STATE_MSG: Record<DeviceState, string> = {
  fresh: 'Device sends fresh samples again.',
  stale: 'Device values have not changed for several intervals.',
  missing: 'Device has not been read for several intervals.',
};

export class DeviceSet {
  readonly #series: DeviceSeriesOptions | false;
  readonly #tracks = new Map<string, DeviceTrack>();

  constructor(series: DeviceSeriesOptions | false) {
    this.#series = series;
  }

  values(): IterableIterator<DeviceTrack> {
    return this.#tracks.values();
  }

  get(rig: string, device: string): DeviceTrack | undefined {
    return this.#tracks.get(`${rig}\u0000${device}`);
  }

  /** Takes the snapshots of a poll that completed at `nowMs` (clock time). */
  accept(emitted: readonly Snapshot[], nowMs: number): Batch {
    const byRig = new Map<string, Snapshot[]>();
    const outOfOrder: { device: string; error: RigtuneError }[] = [];
    let fresh = 0;
    let stale = 0;
    for (const s of emitted) {
      const key = `${s.rig}\u0000${s.device}`;
      let track = this.#tracks.get(key);
      if (track === undefined) {
        track = new DeviceTrack(s.rig, s.device, this.#series);
        // Kept as one flat string (a joined copy of the key), not the concatenation that looked it up.
        this.#tracks.set([s.rig, s.device].join('\u0000'), track);
      }
      const r = track.accept(s, nowMs);
      if (r.outcome === 'stale') stale++;
      else if (r.outcome === 'out-of-order') outOfOrder.push({ device: s.device, error: r.error });
      else {
        fresh++;
        const list = byRig.get(s.rig);
        if (list === undefined) byRig.set(s.rig, [r.sample]);
        else list.push(r.sample);
      }
    }
    return { byRig, fresh, stale, outOfOrder };
  }

  /** Records every device's state at `nowMs` against `limitMs`; returns those that changed. */
  refresh(nowMs: number, limitMs: number): Transition[] {
    const changed: Transition[] = [];
    for (const track of this.#tracks.values()) {
      const state = track.refresh(nowMs, limitMs);
      if (state !== null) changed.push({ track, state, msg: STATE_MSG[state] });
    }
    return changed;
  }
}
