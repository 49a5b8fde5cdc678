// Joins, for one rig, the collector's own polls with the scores the workers publish for them, into the
// RigTickBatches auto-tune takes: one per poll once its scores are back, never a score twice or older.

import type { ScoreTick } from '../../core/scores.ts';
import { type RigState, type RigTickBatch, SCHEMA_VERSION } from '../../core/sink.ts';
import type { Snapshot } from '../../core/snapshot.ts';

interface PendingPoll {
  /** The collector's clock when the poll's samples arrived (the entry's `tick`), epoch ms. */
  readonly tickMs: number;
  readonly snapshots: readonly Snapshot[];
}

/** Counters of one join (tests, status). */
export interface ScoreJoinStats {
  /** Batches handed to auto-tune. */
  readonly fed: number;
  /** Scores handed on (each device's score once, in time order). */
  readonly scoresFed: number;
  /** Polls handed on without their scores (none arrived before the next poll: workers late or down). */
  readonly pollsWithoutScores: number;
  /** Device scores received that were not newer than one already fed (a state published again, late). */
  readonly scoresStale: number;
  /** Polls held now, waiting for their scores. */
  readonly held: number;
}

const NO_EVENTS: never[] = [];

/**
 * One rig's join. `poll()` holds a poll until a state covering it arrives (`state()`): every device of
 * the poll has a score at or after its snapshot's time. A poll still held when the next one comes is
 * handed on without scores, so validation windows (which read snapshots) keep moving while workers are
 * late or down; planning then meets the controller's freshness guard (`stale_ms`): no score, no action.
 */
export class ScoreJoin {
  readonly rig: string;
  /** Newest score time fed per device, epoch ms. */
  readonly #fedTs = new Map<string, number>();
  #pending: PendingPoll[] = [];
  #fed = 0;
  #scoresFed = 0;
  #withoutScores = 0;
  #stale = 0;

  constructor(rig: string) {
    this.rig = rig;
  }

  /** A poll of the rig; returns what to feed now (earlier polls whose scores never came), maybe nothing. */
  poll(snapshots: readonly Snapshot[], tickMs: number): RigTickBatch[] {
    const mine = snapshots.filter((s) => s.rig === this.rig);
    if (mine.length === 0) return [];
    const out: RigTickBatch[] = [];
    if (this.#pending.length > 0) {
      const late = this.#pending;
      this.#pending = [];
      this.#withoutScores += late.length;
      out.push(this.#batch(late, []));
    }
    this.#pending.push({ tickMs, snapshots: mine });
    return out;
  }

  /**
   * A state the workers published (or stored) for the rig: its device scores newer than those fed, with
   * the held polls it covers; null when it brings nothing new.
   */
  state(state: RigState): RigTickBatch | null {
    if (state.rig !== this.rig) return null;
    const fresh: ScoreTick[] = [];
    const newest = new Map<string, number>();
    for (const t of state.devices) {
      if (t.rig !== this.rig) continue;
      newest.set(t.device, t.ts);
      const fed = this.#fedTs.get(t.device);
      if (fed !== undefined && t.ts <= fed) {
        this.#stale += 1;
        continue;
      }
      fresh.push(t);
    }
    // Held polls in order, up to the last one whose every snapshot has a score at or after it.
    let covered = 0;
    for (let i = 0; i < this.#pending.length; i++)
      if (this.#pending[i].snapshots.every((s) => (newest.get(s.device) ?? Number.NEGATIVE_INFINITY) >= s.ts))
        covered = i + 1;
    if (fresh.length === 0 && covered === 0) return null;
    const polls = this.#pending.slice(0, covered);
    this.#pending = this.#pending.slice(covered);
    for (const t of fresh) this.#fedTs.set(t.device, t.ts);
    this.#scoresFed += fresh.length;
    return this.#batch(polls, fresh, state);
  }

  /** Polls held for their scores. */
  get held(): number {
    return this.#pending.length;
  }

  stats(): ScoreJoinStats {
    return {
      fed: this.#fed,
      scoresFed: this.#scoresFed,
      pollsWithoutScores: this.#withoutScores,
      scoresStale: this.#stale,
      held: this.#pending.length,
    };
  }

  #batch(polls: readonly PendingPoll[], scores: readonly ScoreTick[], state?: RigState): RigTickBatch {
    this.#fed += 1;
    const snapshots = polls.length === 1 ? polls[0].snapshots : polls.flatMap((p) => p.snapshots);
    const ts = polls.length > 0 ? polls[polls.length - 1].tickMs : (state?.ts ?? 0);
    return {
      rig: this.rig,
      ts,
      snapshots,
      scores,
      events: NO_EVENTS,
      state: state ?? { schema: SCHEMA_VERSION, rig: this.rig, ts, devices: [] },
    };
  }
}

/** The RigState in a `telemetry:score:<rig>` message or `telemetry:last:<rig>` value; null when it is not one. */
export function parseState(json: string): RigState | null {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const s = v as Partial<RigState>;
  if (typeof s.rig !== 'string' || typeof s.ts !== 'number' || !Array.isArray(s.devices)) return null;
  const ok = s.devices.every(
    (t) =>
      typeof t === 'object' &&
      t !== null &&
      typeof (t as ScoreTick).device === 'string' &&
      typeof (t as ScoreTick).ts === 'number',
  );
  return ok ? (s as RigState) : null;
}
