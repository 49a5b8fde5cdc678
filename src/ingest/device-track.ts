// One device as the scheduler sees it: its telemetry series (bounded ring buffers, EMA deltas), the
// previous reading for stale detection, and whether it is fresh, stale or missing.

import { RigtuneError } from '../core/errors.ts';
import { NUMERIC_FIELDS, type Snapshot } from '../core/snapshot.ts';
import { DeviceSeries, type DeviceSeriesOptions, type TelemetrySnapshot } from '../telemetry/index.ts';
import type { DeviceState } from './types.ts';

/** What became of one reading. */
export type Acceptance =
  | { readonly outcome: 'fresh'; readonly sample: TelemetrySnapshot }
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
  readonly series: DeviceSeries;
  #last: (number | null)[] | null = null;
  #lastFreshMs: number | null = null;
  #lastSeenMs: number | null = null;
  #samples = 0;
  #state: DeviceState = 'fresh';

  constructor(rig: string, device: string, options: DeviceSeriesOptions) {
    this.rig = rig;
    this.device = device;
    this.series = new DeviceSeries(options);
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
    let sample: TelemetrySnapshot;
    try {
      sample = this.series.push(s);
    } catch (err) {
      if (err instanceof RigtuneError) return { outcome: 'out-of-order', error: err };
      throw err;
    }
    this.#last = NUMERIC_FIELDS.map((f) => s[f]);
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
