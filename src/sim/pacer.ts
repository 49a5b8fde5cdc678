// Steps a fleet to follow a clock in whole steps, half a step out of phase with whoever reads it, so a
// 1 Hz poller sees exactly one new step per poll: no re-read of an unchanged state, no skipped step.

import { RigtuneError } from '../core/errors.ts';
import type { Fleet } from './fleet.ts';

/**
 * Paces `fleet` on a clock (`nowMs`, epoch ms): the first `sync()` anchors the pace half a step
 * before that moment, and every `sync()` steps the fleet until it has made one step per `stepMs`
 * elapsed since the anchor. Called as each request reaches a protocol server, a poller whose polls
 * are `stepMs` apart (give or take half a step of jitter) reads a state exactly one step newer each
 * time. Time going backwards steps nothing.
 */
export class FleetPacer {
  readonly fleet: Fleet;
  readonly stepMs: number;
  readonly #nowMs: () => number;
  #anchorMs: number | null = null;
  #steps = 0;

  constructor(fleet: Fleet, nowMs: () => number, stepMs = 1000) {
    if (!(stepMs > 0))
      throw new RigtuneError('RT_CONFIG_INVALID', `step must be > 0 ms, got ${stepMs}`, { field: 'step' });
    this.fleet = fleet;
    this.#nowMs = nowMs;
    this.stepMs = stepMs;
  }

  /** Clock time (epoch ms) of step 0 of the pace, or null before the first `sync()`. */
  get anchorMs(): number | null {
    return this.#anchorMs;
  }

  /** Steps made so far. */
  get steps(): number {
    return this.#steps;
  }

  /** Steps the fleet up to the clock's current time. */
  sync(): void {
    const now = this.#nowMs();
    this.#anchorMs ??= now - this.stepMs / 2;
    const due = Math.floor((now - this.#anchorMs) / this.stepMs);
    while (this.#steps < due) {
      this.fleet.step(this.stepMs);
      this.#steps++;
    }
  }

  /**
   * Clock time (epoch ms) at which the fleet reaches simulation time `simMs` (e.g. a fault label's
   * `ts_start`), or null before the first `sync()`.
   */
  clockMsOf(simMs: number): number | null {
    return this.#anchorMs === null ? null : this.#anchorMs + (simMs - this.fleet.startMs);
  }
}
