// The latest raw readings of every device (power, temperatures, hashrate, fan), kept by a tiny sink so
// the dashboard can show them: rig states carry scores and KPIs only, not the snapshot values.

import type { RigTickBatch, Sink, SinkHealth } from '../core/sink.ts';
import type { Snapshot } from '../core/snapshot.ts';

/** Read side: each device's newest snapshot of a rig, ordered by device name; [] for an unknown rig. */
export interface ReadingsView {
  latest(rig: string): readonly Snapshot[];
}

/** Hottest of a snapshot's device temperatures (core, memory junction, hottest chip), °C; null if none. */
export function hottestTemp(s: Snapshot): { temp_c: number | null; sensor: 'core' | 'mem' | 'chip' | null } {
  let temp: number | null = null;
  let sensor: 'core' | 'mem' | 'chip' | null = null;
  for (const [name, v] of [
    ['core', s.temp_core_c],
    ['mem', s.temp_mem_c],
    ['chip', s.temp_chip_max_c],
  ] as const) {
    if (v !== null && Number.isFinite(v) && (temp === null || v > temp)) {
      temp = v;
      sensor = name;
    }
  }
  return { temp_c: temp, sensor };
}

/**
 * A Sink that keeps each device's newest snapshot (one per device: memory grows with the fleet, not
 * with time) and serves them as a ReadingsView. Never fails, never queues.
 */
export class LatestReadings implements Sink, ReadingsView {
  readonly name = 'readings';
  readonly #rigs = new Map<string, Map<string, Snapshot>>();
  #closed = false;

  write(batch: RigTickBatch): void {
    if (this.#closed || batch.snapshots.length === 0) return;
    let devices = this.#rigs.get(batch.rig);
    if (devices === undefined) {
      devices = new Map();
      this.#rigs.set(batch.rig, devices);
    }
    for (const s of batch.snapshots) {
      const held = devices.get(s.device);
      if (held === undefined || held.ts <= s.ts) devices.set(s.device, s);
    }
  }

  latest(rig: string): readonly Snapshot[] {
    const devices = this.#rigs.get(rig);
    if (devices === undefined) return [];
    return [...devices.values()].sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
  }

  health(): SinkHealth {
    return { ok: true, queued: 0, spooled: 0, dropped: 0, lastError: null };
  }
}
