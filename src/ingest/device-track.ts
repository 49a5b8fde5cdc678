// One device as the scheduler sees it: its telemetry series (bounded ring buffers, EMA deltas) unless
// the consumer keeps its own, the previous reading for stale detection, and whether it is fresh.

import { RigtuneError } from '../core/errors.ts';
import { NUMERIC_FIELDS, type Snapshot } from '../core/snapshot.ts';
import { DeviceSeries, type DeviceSeriesOptions, type TelemetrySnapshot } from '../telemetry/index.ts';
import type { DeviceState } from './types.ts';

/** What became of one reading. */
export type Acceptance =
  | { readonly outcome: 'fresh'; readonly sample: Snapshot | TelemetrySnapshot }
  /** Every value equal to the previous reading's (ts aside): a re-read, not a new sample. */
  | { readonly outcome: 'stale' }
  /** Values changed but the time did not move forward (or is not a number): dropped. */
  | { readonly outcome: 'out-of-order'; readonly error: RigtuneError };

/** Equal as readings: both null, or the same number (NaN equals NaN). */
function sameValues(a: readonly (number | null)[], s: Snapshot): boolean {
  for (let i = 0; i < NUMERIC_FIELDS.length; i++) if (!Object.is(a[i], s[NUMERIC_FIELDS[i]])) return false;
  return true;
}

/** The series and freshness of one (rig, device) read by one source. */
export class DeviceTrack {
  readonly rig: string;
  readonly device: string;
  /** Null when the scheduler keeps no series (the consumer derives its own, e.g. the scorer). */
  readonly series: DeviceSeries | null;
  /** The previous reading's values (NUMERIC_FIELDS order), reused: no allocation per sample. */
  #last: (number | null)[] | null = null;
  #lastTs = Number.NaN;
  #lastFreshMs: number | null = null;
  #lastSeenMs: number | null = null;
  #samples = 0;
  #state: DeviceState = 'fresh';

  constructor(rig: string, device: string, options: DeviceSeriesOptions | false) {
    this.rig = rig;
    this.device = device;
    this.series = options === false ? null : new DeviceSeries(options);
  }

  /** Last fresh sample (clock time of its poll, epoch ms), or null. */
  get lastFreshMs(): number | null {
    return this.#lastFreshMs;
  }

  /** Last reading of any kind (clock time of its poll, epoch ms), or null. */
  get lastSeenMs(): number | null {
    return this.#lastSeenMs;
  }

  /** Fresh samples accepted. */
  get samples(): number {
    return this.#samples;
  }

  /** The state last reported by `refresh`. */
  get state(): DeviceState {
    return this.#state;
  }

  /** Takes one reading made by a poll that completed at `nowMs` (clock time). */
  accept(s: Snapshot, nowMs: number): Acceptance {
    this.#lastSeenMs = nowMs;
    if (this.#last !== null && sameValues(this.#last, s)) return { outcome: 'stale' };
    if (!Number.isFinite(s.ts)) {
      const msg = `snapshot time is not a number: ${s.ts}`;
      return { outcome: 'out-of-order', error: new RigtuneError('RT_INPUT_TIME', msg, { device: s.device }) };
    }
    let sample: Snapshot | TelemetrySnapshot = s;
    if (this.series !== null) {
      try {
        sample = this.series.push(s);
      } catch (err) {
        if (err instanceof RigtuneError) return { outcome: 'out-of-order', error: err };
        throw err;
      }
    } else if (!(s.ts > this.#lastTs) && this.#samples > 0) {
      // The same check and message as DeviceSeries.push.
      const msg = `time does not increase: ${s.ts} ms after ${this.#lastTs} ms`;
      const error = new RigtuneError('RT_INPUT_TIME', msg, { rig: s.rig, device: s.device, field: 'ts' });
      return { outcome: 'out-of-order', error };
    }
    this.#lastTs = s.ts;
    if (this.#last === null) this.#last = new Array<number | null>(NUMERIC_FIELDS.length);
    const last = this.#last;
    for (let i = 0; i < NUMERIC_FIELDS.length; i++) last[i] = s[NUMERIC_FIELDS[i]];
    this.#lastFreshMs = nowMs;
    this.#samples++;
    return { outcome: 'fresh', sample };
  }

  /** The state at `nowMs` given the freshness limit `limitMs` (N intervals); does not record it. */
  stateAt(nowMs: number, limitMs: number): DeviceState {
    if (this.#lastFreshMs !== null && nowMs - this.#lastFreshMs <= limitMs) return 'fresh';
    if (this.#lastSeenMs !== null && nowMs - this.#lastSeenMs <= limitMs) return 'stale';
    return 'missing';
  }

  /** Records the state at `nowMs`; returns it when it changed since the last refresh, else null. */
  refresh(nowMs: number, limitMs: number): DeviceState | null {
    const state = this.stateAt(nowMs, limitMs);
    if (state === this.#state) return null;
    this.#state = state;
    return state;
  }
}
