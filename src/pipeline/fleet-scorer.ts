// Routes snapshots of many devices to one DeviceScorer each, keyed by (rig, device).

import type { Snapshot } from '../core/snapshot.ts';
import { DeviceScorer, type ScoredSample } from './device-scorer.ts';
import type { ScorerOptions } from './options.ts';
import type { RuptureEvent } from './types.ts';

export class FleetScorer {
  readonly #options: Partial<ScorerOptions>;
  readonly #devices = new Map<string, DeviceScorer>();

  constructor(options: Partial<ScorerOptions> = {}) {
    this.#options = options;
  }

  /** Devices seen so far. */
  get deviceCount(): number {
    return this.#devices.size;
  }

  /** Scores one snapshot with its device's scorer (created on first sight). */
  push(s: Snapshot): ScoredSample {
    const key = `${s.rig}\u0000${s.device}`;
    let scorer = this.#devices.get(key);
    if (scorer === undefined) {
      scorer = new DeviceScorer(this.#options);
      this.#devices.set(key, scorer);
    }
    return scorer.push(s);
  }

  /** Closes every device's open event (end of input). */
  flush(): RuptureEvent[] {
    return [...this.#devices.values()].flatMap((d) => d.flush());
  }
}
