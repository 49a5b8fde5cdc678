// The latest score of every device of one rig, folded into the RigState that sinks publish as
// `telemetry:last:{rig}`: devices keep their newest tick even when they miss a tick.

import type { ScoreTick } from '../core/scores.ts';
import { type RigState, SCHEMA_VERSION } from '../core/sink.ts';

export class RigStateTracker {
  readonly rig: string;
  readonly #latest = new Map<string, ScoreTick>();
  /** Device names in order, rebuilt only when the set of devices changes. */
  #order: string[] | null = null;

  constructor(rig: string) {
    this.rig = rig;
  }

  /** Folds this tick's scores in (a score older than the one held for its device is ignored). */
  update(scores: readonly ScoreTick[]): RigState {
    for (const s of scores) {
      const held = this.#latest.get(s.device);
      if (held !== undefined && held.ts > s.ts) continue;
      if (held === undefined) this.#order = null;
      this.#latest.set(s.device, s);
    }
    return this.state();
  }

  /** Forgets a device (removed from the configuration or gone for good). */
  remove(device: string): void {
    if (this.#latest.delete(device)) this.#order = null;
  }

  /** Devices currently held. */
  get size(): number {
    return this.#latest.size;
  }

  state(): RigState {
    if (this.#order === null) this.#order = [...this.#latest.keys()].sort();
    const devices = this.#order.map((d) => this.#latest.get(d) as ScoreTick);
    let ts = 0;
    for (const d of devices) if (d.ts > ts) ts = d.ts;
    return { schema: SCHEMA_VERSION, rig: this.rig, ts, devices };
  }
}
