// Scores one rig's fresh snapshots of a tick with that rig's options, isolating a device whose input is
// bad (time going backwards) so it costs a counted error, never the rig's tick.

import { RigtuneError } from '../core/errors.ts';
import type { RuptureEvent, ScoreTick } from '../core/scores.ts';
import type { RigState } from '../core/sink.ts';
import type { Snapshot } from '../core/snapshot.ts';
import { FleetScorer, type ScorerOptions } from '../pipeline/index.ts';
import { RigStateTracker } from './rig-state.ts';

/** A device sample the scorer refused, and why. */
export interface ScoreRejection {
  readonly device: string;
  readonly error: RigtuneError;
}

export interface RigScoreResult {
  readonly scores: readonly ScoreTick[];
  readonly events: readonly RuptureEvent[];
  readonly state: RigState;
  /** A device shows a suspected rupture (class above none, or a change posterior ≥ burstChangeProb). */
  readonly suspect: boolean;
  readonly rejected: readonly ScoreRejection[];
}

/** Change posterior above which a rig's fast sources burst (see ingest). */
export const BURST_CHANGE_PROB = 0.5;

export class RigScorer {
  readonly rig: string;
  readonly #scorer: FleetScorer;
  readonly #state: RigStateTracker;

  /** `state`: the latest-state tracker to continue (a scorer rebuilt with new options keeps it). */
  constructor(rig: string, options: Partial<ScorerOptions> = {}, state = new RigStateTracker(rig)) {
    this.rig = rig;
    this.#scorer = new FleetScorer(options);
    this.#state = state;
  }

  /** The rig's latest score per device, kept across a rebuild of the scorer. */
  get tracker(): RigStateTracker {
    return this.#state;
  }

  /** Scores the snapshots (any device order; each device's samples in time order). */
  score(snapshots: readonly Snapshot[]): RigScoreResult {
    const scores: ScoreTick[] = [];
    const events: RuptureEvent[] = [];
    const rejected: ScoreRejection[] = [];
    let suspect = false;
    for (const s of snapshots) {
      try {
        const { tick, events: closed } = this.#scorer.push(s);
        scores.push(tick);
        for (const e of closed) events.push(e);
        if (tick.rupture_class !== 'none' || tick.change_prob >= BURST_CHANGE_PROB) suspect = true;
      } catch (err) {
        if (!(err instanceof RigtuneError)) throw err;
        rejected.push({ device: s.device, error: err });
      }
    }
    return { scores, events, state: this.#state.update(scores), suspect, rejected };
  }

  /** Closes every device's open event (shutdown). */
  flush(): RuptureEvent[] {
    return this.#scorer.flush();
  }

  get deviceCount(): number {
    return this.#scorer.deviceCount;
  }

  state(): RigState {
    return this.#state.state();
  }
}
