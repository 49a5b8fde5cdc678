// Turns change declarations of a device's channels into rupture events: declarations of different
// channels within `mergeSamples` of the first join one event; a repeat on the same channel starts a new one.

import { RUPTURE_CLASSES, type RuptureClass } from '../kernel/score/index.ts';
import type { RuptureEvent, ScoreTick } from './types.ts';

/** One channel detector's declaration, in device sample indices. */
export interface Declaration {
  readonly channel: string;
  readonly startSample: number;
  readonly detectedSample: number;
  readonly hazard: number;
}

interface OpenEvent {
  readonly rig: string;
  readonly device: string;
  readonly tsStart: number;
  readonly tsDetected: number;
  readonly detectedSample: number;
  readonly channels: string[];
  hazard: number;
  cls: RuptureClass;
}

const worse = (a: RuptureClass, b: RuptureClass): RuptureClass =>
  RUPTURE_CLASSES.indexOf(a) >= RUPTURE_CLASSES.indexOf(b) ? a : b;

export class EventMerger {
  readonly #mergeSamples: number;
  #open: OpenEvent | null = null;

  constructor(mergeSamples: number) {
    this.#mergeSamples = mergeSamples;
  }

  /**
   * Takes the declarations made at device sample `index` and its tick; returns the events that closed.
   * `tsAt` maps a device sample index to its time (epoch ms).
   */
  push(
    index: number,
    tick: ScoreTick,
    declarations: readonly Declaration[],
    tsAt: (i: number) => number,
  ): RuptureEvent[] {
    const closed: RuptureEvent[] = [];
    const open = this.#open;
    if (open !== null && index - open.detectedSample >= this.#mergeSamples) closed.push(this.#close());
    for (const d of declarations) {
      const current = this.#open;
      if (current !== null && !current.channels.includes(d.channel)) {
        current.channels.push(d.channel);
        current.hazard = Math.max(current.hazard, d.hazard);
        continue;
      }
      if (current !== null) closed.push(this.#close());
      this.#open = {
        rig: tick.rig,
        device: tick.device,
        tsStart: tsAt(d.startSample),
        tsDetected: tsAt(d.detectedSample),
        detectedSample: d.detectedSample,
        channels: [d.channel],
        hazard: d.hazard,
        cls: 'none',
      };
    }
    if (this.#open !== null) this.#open.cls = worse(this.#open.cls, tick.rupture_class);
    return closed;
  }

  /** Closes the open event, if any (end of input). */
  flush(): RuptureEvent[] {
    return this.#open === null ? [] : [this.#close()];
  }

  #close(): RuptureEvent {
    const e = this.#open!;
    this.#open = null;
    return {
      type: 'event',
      ts_start: e.tsStart,
      ts_detected: e.tsDetected,
      rig: e.rig,
      device: e.device,
      class: e.cls,
      channels: e.channels,
      hazard: e.hazard,
    };
  }
}
