// Tells the operator when a device's rupture class leaves `none` (a rupture is opening) and when the
// scorer closes a rupture event, one log line each (rate-limited per rig), never one per tick.

import type { RuptureClass, RuptureEvent, ScoreTick } from '../core/scores.ts';
import type { OpsReporter } from './ops-events.ts';

const COMPONENT = 'runtime';

export class RuptureWatch {
  readonly #ops: OpsReporter;
  /** Last rupture class per device, per rig. */
  readonly #classes = new Map<string, Map<string, RuptureClass>>();

  constructor(ops: OpsReporter) {
    this.#ops = ops;
  }

  /** Takes one rig tick's scores and closed events. */
  observe(rig: string, scores: readonly ScoreTick[], closed: readonly RuptureEvent[]): void {
    let classes = this.#classes.get(rig);
    if (classes === undefined) {
      classes = new Map();
      this.#classes.set(rig, classes);
    }
    for (const s of scores) {
      const before = classes.get(s.device) ?? 'none';
      if (before === s.rupture_class) continue;
      classes.set(s.device, s.rupture_class);
      if (before !== 'none' || s.rupture_class === 'none') continue;
      this.#ops.report({
        component: COMPONENT,
        code: 'rupture_opened',
        level: 'info',
        msg: 'Rupture event opened.',
        rig,
        device: s.device,
        fields: {
          class: s.rupture_class,
          change_prob: s.change_prob,
          sep_score: s.sep_score,
          channels_changing: s.channels_changing,
        },
      });
    }
    for (const e of closed) this.#closed(e);
  }

  /** Forgets a rig (removed from the configuration, or its scorer rebuilt). */
  forget(rig: string): void {
    this.#classes.delete(rig);
  }

  #closed(e: RuptureEvent): void {
    const event = {
      component: COMPONENT,
      code: 'rupture_closed',
      level: 'info',
      msg: 'Rupture event closed.',
      rig: e.rig,
      device: e.device,
      fields: {
        class: e.class,
        channels: e.channels,
        hazard: e.hazard,
        ts_start: e.ts_start,
        ts_detected: e.ts_detected,
      },
    } as const;
    // A change some detector declared that never raised the class is counted, not logged.
    if (e.class === 'none') this.#ops.tally(event);
    else this.#ops.report(event);
  }
}
