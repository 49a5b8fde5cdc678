// The latest raw readings of every device (power, temperatures, hashrate, fan), kept by a tiny sink so
// the dashboard can show them: rig states carry scores and KPIs only, not the snapshot values.

import type { RigTickBatch, Sink, SinkHealth } from '../core/sink.ts';
import type { Snapshot } from '../core/snapshot.ts';

/** One device's newest raw readings as /api/fleet and the `readings` stream event send them. */
export interface DeviceReadings {
  /** Sample time, epoch ms. */
  readonly ts: number;
  /** 5 s hash rate (else 1 min), H/s. */
  readonly hashrate_hs: number | null;
  readonly hashrate_expected_hs: number | null;
  readonly power_w: number | null;
  /** Hottest of core, memory junction and chip, °C, and which sensor it was. */
  readonly temp_max_c: number | null;
  readonly temp_sensor: 'core' | 'mem' | 'chip' | null;
  readonly temp_target_c: number | null;
  readonly fan_pct: number | null;
  readonly fan_rpm: number | null;
  /** Cumulative hardware errors as the miner counts them. */
  readonly hw_errors: number | null;
}

/** One rig tick's readings: the `readings` event of /api/stream (devices in the tick's order). */
export interface RigReadings {
  readonly rig: string;
  /** The tick's time, epoch ms. */
  readonly ts: number;
  readonly devices: ReadonlyArray<{ readonly device: string } & DeviceReadings>;
}

/** Read side: each device's newest snapshot of a rig, ordered by device name; [] for an unknown rig. */
export interface ReadingsView {
  latest(rig: string): readonly Snapshot[];
  /**
   * Calls `listener` with each rig tick's readings as they are written (only devices whose snapshot
   * is the newest held); returns the unsubscribe function. Absent = no live readings.
   */
  subscribe?(listener: (readings: RigReadings) => void): () => void;
}

/** The readings of snapshot `s` (units in the names; null = not reported). */
export function readingsOf(s: Snapshot): DeviceReadings {
  const hot = hottestTemp(s);
  return {
    ts: s.ts,
    hashrate_hs: s.hashrate_5s ?? s.hashrate_1m,
    hashrate_expected_hs: s.hashrate_expected,
    power_w: s.power_w,
    temp_max_c: hot.temp_c,
    temp_sensor: hot.sensor,
    temp_target_c: s.temp_target_c,
    fan_pct: s.fan_pct,
    fan_rpm: s.fan_rpm,
    hw_errors: s.hw_errors,
  };
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
 * with time) and serves them as a ReadingsView, live to subscribers too. Never fails, never queues:
 * a listener must not throw (the stream route's listeners only enqueue).
 */
export class LatestReadings implements Sink, ReadingsView {
  readonly name = 'readings';
  readonly #rigs = new Map<string, Map<string, Snapshot>>();
  readonly #listeners = new Set<(readings: RigReadings) => void>();
  #closed = false;

  write(batch: RigTickBatch): void {
    if (this.#closed || batch.snapshots.length === 0) return;
    let devices = this.#rigs.get(batch.rig);
    if (devices === undefined) {
      devices = new Map();
      this.#rigs.set(batch.rig, devices);
    }
    const fresh: Snapshot[] = [];
    for (const s of batch.snapshots) {
      const held = devices.get(s.device);
      if (held === undefined || held.ts <= s.ts) {
        devices.set(s.device, s);
        fresh.push(s);
      }
    }
    if (this.#listeners.size === 0 || fresh.length === 0) return;
    // Built once per tick and shared by every listener (each stream serialises it once).
    const readings: RigReadings = {
      rig: batch.rig,
      ts: batch.ts,
      devices: fresh.map((s) => ({ device: s.device, ...readingsOf(s) })),
    };
    for (const listener of this.#listeners) listener(readings);
  }

  subscribe(listener: (readings: RigReadings) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  latest(rig: string): readonly Snapshot[] {
    const devices = this.#rigs.get(rig);
    if (devices === undefined) return [];
    return [...devices.values()].sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
  }

  health(): SinkHealth {
    return { ok: true, queued: 0, spooled: 0, dropped: 0, lastError: null };
  }
}
