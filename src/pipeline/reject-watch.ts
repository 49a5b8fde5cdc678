// Watches a device's share counters as the derived channel `reject_rate`: a reject-rise detector on each
// sample's counter deltas, so a sustained rise of rejected + stale shares opens a rupture event.

import {
  type DetectedRise,
  RejectRiseDetector,
  type RejectRiseOptions,
  type ShareCounterDeltas,
} from '../kernel/shares/index.ts';
import type { ChannelScore } from './types.ts';

/** Name of the derived share channel in a tick's `channels` and in events. */
export const REJECT_CHANNEL = 'reject_rate';

/** True when a sample reports the share counters the channel needs (accepted and rejected counts). */
export function hasShareCounters(accepted: number | null, rejected: number | null): boolean {
  return (
    typeof accepted === 'number' &&
    Number.isFinite(accepted) &&
    typeof rejected === 'number' &&
    Number.isFinite(rejected)
  );
}

export class RejectWatch {
  readonly name = REJECT_CHANNEL;
  /** Device sample index of the channel's first sample (its detector counts from there). */
  readonly firstSample: number;
  readonly #detector: RejectRiseDetector;
  #changeProb = 0;

  constructor(firstSample: number, options: Partial<RejectRiseOptions>) {
    this.firstSample = firstSample;
    this.#detector = new RejectRiseDetector(options);
  }

  /** Feeds one sample's counter deltas (null = none: first sample, a reset or a gap); returns a declared rise. */
  push(delta: ShareCounterDeltas | null): DetectedRise | null {
    const step = delta === null ? this.#detector.update(null, null) : this.#detector.updateDeltas(delta);
    this.#changeProb = step.changeProb;
    return step.detected;
  }

  /** Posterior probability (0..1) that the bad-share rate rose since the last declaration. */
  get changeProb(): number {
    return this.#changeProb;
  }

  /** The channel's score: share counts are no gauge, so it has no flag streams and no structure metrics. */
  score(): ChannelScore {
    return { change_prob: this.#changeProb, coherence: null, stability: null, entropy: null, rupture: null };
  }
}
