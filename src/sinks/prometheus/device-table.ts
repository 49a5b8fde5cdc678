// The devices the exporter knows: latest score and snapshot per (rig, device), bounded in number, and
// forgotten (their series gone from /metrics) once not seen for a while, so cardinality stays bounded.

import type { ScoreTick } from '../../core/scores.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { deviceLabels } from './exposition.ts';
import type { DeviceRow } from './families.ts';

interface Entry {
  readonly labels: string;
  score: ScoreTick | null;
  snapshot: Snapshot | null;
  /** Service clock time the device was last written, epoch ms. */
  seenMs: number;
}

/**
 * `deviceLabels` as one flat string: the template builds a tree of concatenations that stays alive
 * (≈ 100 B per device) beside the text; split and joined on a quote it is the same text, in one piece.
 */
function flatLabels(rig: string, device: string): string {
  return deviceLabels(rig, device).split('"').join('"');
}

/** What an update did to the table. */
export type UpdateOutcome = 'updated' | 'added' | 'refused';

export class DeviceTable {
  readonly #entries = new Map<string, Entry>();
  readonly #maxDevices: number;
  readonly #staleAfterMs: number;
  /** Devices forgotten after `staleAfterMs`, and devices refused because the table was full. */
  expired = 0;
  refused = 0;

  constructor(maxDevices: number, staleAfterMs: number) {
    this.#maxDevices = maxDevices;
    this.#staleAfterMs = staleAfterMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Records `score` and/or `snapshot` as the device's latest (a newer sample time wins). */
  update(
    rig: string,
    device: string,
    nowMs: number,
    score: ScoreTick | null,
    snapshot: Snapshot | null,
  ): UpdateOutcome {
    const key = `${rig}\u0000${device}`;
    let entry = this.#entries.get(key);
    let outcome: UpdateOutcome = 'updated';
    if (entry === undefined) {
      if (this.#entries.size >= this.#maxDevices) {
        this.refused++;
        return 'refused';
      }
      entry = { labels: flatLabels(rig, device), score: null, snapshot: null, seenMs: nowMs };
      // Kept as one flat string (a joined copy of the key), not the concatenation that looked it up.
      this.#entries.set([rig, device].join('\u0000'), entry);
      outcome = 'added';
    }
    // A late, older sample never replaces a newer one.
    if (score !== null && (entry.score === null || score.ts >= entry.score.ts)) entry.score = score;
    if (snapshot !== null && (entry.snapshot === null || snapshot.ts >= entry.snapshot.ts))
      entry.snapshot = snapshot;
    entry.seenMs = nowMs;
    return outcome;
  }

  /** Forgets devices not written for more than `staleAfterMs`; returns how many. */
  expire(nowMs: number): number {
    let n = 0;
    for (const [key, entry] of this.#entries) {
      if (nowMs - entry.seenMs > this.#staleAfterMs) {
        this.#entries.delete(key);
        n++;
      }
    }
    this.expired += n;
    return n;
  }

  /** A point-in-time copy for one render (later updates do not show up half-way through it). */
  rows(): DeviceRow[] {
    const rows: DeviceRow[] = new Array(this.#entries.size);
    let i = 0;
    for (const e of this.#entries.values())
      rows[i++] = { labels: e.labels, score: e.score, snapshot: e.snapshot };
    return rows;
  }

  clear(): void {
    this.#entries.clear();
  }
}
