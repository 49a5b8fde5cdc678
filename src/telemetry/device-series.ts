// One device's snapshot stream → derived snapshots (EMA and EMA delta per gauge, rate and delta per
// counter, resets), with bounded per-channel history and staleness for the scorer to read.

import { RigtuneError } from '../core/errors.ts';
import {
  COUNTER_FIELDS,
  type CounterField,
  type DerivedSnapshot,
  GAUGE_FIELDS,
  type GaugeField,
  NUMERIC_FIELDS,
  type NumericField,
  type Snapshot,
} from '../core/snapshot.ts';
import {
  COUNTER_DELTA_SLAB_SIZE,
  COUNTER_SLAB_SIZE,
  type CounterGapRule,
  type CounterTrackerOptions,
  counterGapRule,
  resetCounterState,
  updateCounter,
} from './counter-tracker.ts';
import { EmaTracker } from './ema.ts';
import { assertCapacity, RingBuffer } from './ring-buffer.ts';

/** Options of a DeviceSeries. */
export interface DeviceSeriesOptions {
  /** EMA time constant in seconds for every gauge; default 30. */
  readonly emaTauS?: number;
  /** Per-gauge EMA time constants in seconds, overriding `emaTauS`. */
  readonly emaTauByFieldS?: Readonly<Partial<Record<GaugeField, number>>>;
  /** Samples of history kept per channel; default 256. */
  readonly capacity?: number;
  /** Gap rule for counter rates (default: 10 × median interval, 60 s until known). */
  readonly counter?: CounterTrackerOptions;
  /** Keep per-channel history for the `recent*` readers; default true. false: they return empty arrays. */
  readonly history?: boolean;
  /** Derive gauge EMAs; default true. false: `ema` and `ema_delta` of each derived snapshot stay empty. */
  readonly emas?: boolean;
  /**
   * Derive counter rates; default true. false: every `rate_per_s` is null (and `recentRate` NaN) while
   * deltas and resets stay the same, and no sampling intervals are kept (20 fewer numbers a counter).
   */
  readonly rates?: boolean;
  /** Keep the time of each field's last finite reading; default true. false: `lastSeenTs` and `stalenessMs` give null. */
  readonly lastSeen?: boolean;
}

/** A DerivedSnapshot plus each counter's delta, which stays usable across a gap (rate is null there). */
export interface TelemetrySnapshot extends DerivedSnapshot {
  /** Increase since the previous reading, per counter; null at a reset, first or missing reading. */
  readonly counter_delta: { readonly [K in CounterField]?: number | null };
}

/** What {@link DeviceSeries.pushCounters} returns: the counter deltas and resets of one snapshot. */
export interface CounterDeltas {
  /** Increase since the previous reading, per counter; null at a reset, first or missing reading. */
  readonly counter_delta: { readonly [K in CounterField]?: number | null };
  /** Counters that went down (a miner restart) at this snapshot. */
  readonly counter_resets: readonly CounterField[];
}

const NO_RESETS: readonly CounterField[] = Object.freeze([]);

const DEFAULT_TAU_S = 30;
const DEFAULT_CAPACITY = 256;

const GAUGE_INDEX = new Map<string, number>(GAUGE_FIELDS.map((f, i) => [f, i]));
const COUNTER_INDEX = new Map<string, number>(COUNTER_FIELDS.map((f, i) => [f, i]));
const NUMERIC_INDEX = new Map<string, number>(NUMERIC_FIELDS.map((f, i) => [f, i]));

/** Per-field ring buffers of one kind, created on the field's first finite value. */
type History = (RingBuffer | undefined)[];

/** The history of a series that keeps none (never written: #record returns first). */
const NO_HISTORY: History = [];
const NO_EMAS: readonly EmaTracker[] = [];

/**
 * Derives one device's series. Push its snapshots in strictly increasing time; every snapshot must
 * carry the same rig and device as the first. History buffers are created on a channel's first
 * non-null value and then get one entry per snapshot (NaN = missing), so `recent*` arrays of any
 * channel line up with `recentTs` at the newest end.
 */
export class DeviceSeries {
  readonly #capacity: number;
  readonly #emas: readonly EmaTracker[];
  /** Gap rule of every counter; null without rates. */
  readonly #gapRule: CounterGapRule | null;
  /**
   * One array for the counters' tracker states (#counterSize numbers each, see updateCounter), then the
   * time of the last finite reading per numeric field from #seenAt (NaN = never), unless lastSeen is off.
   */
  readonly #slab: Float64Array;
  readonly #counterSize: number;
  /** Offset of the last-seen times in #slab; -1 when they are not kept. */
  readonly #seenAt: number;
  readonly #raw: History;
  readonly #ema: History;
  readonly #rate: History;
  readonly #delta: History;
  readonly #ts: RingBuffer | null;
  readonly #history: boolean;
  readonly #withEmas: boolean;
  #rig: string | null = null;
  #device: string | null = null;
  #latestTs = Number.NaN;
  #count = 0;

  /** Throws RT_KERNEL_ARGUMENT for a bad capacity, time constant or gap option. */
  constructor(options: DeviceSeriesOptions = {}) {
    this.#capacity = options.capacity ?? DEFAULT_CAPACITY;
    assertCapacity(this.#capacity, 'capacity');
    this.#history = options.history ?? true;
    this.#withEmas = options.emas ?? true;
    this.#ts = this.#history ? new RingBuffer(this.#capacity) : null;
    this.#raw = this.#history ? [] : NO_HISTORY;
    this.#ema = this.#history ? [] : NO_HISTORY;
    this.#rate = this.#history ? [] : NO_HISTORY;
    this.#delta = this.#history ? [] : NO_HISTORY;
    // Without EMAs (the scorer's series) no tracker is made: 17 of them per device add up at fleet scale.
    this.#emas = this.#withEmas
      ? GAUGE_FIELDS.map(
          (f) => new EmaTracker(options.emaTauByFieldS?.[f] ?? options.emaTauS ?? DEFAULT_TAU_S),
        )
      : NO_EMAS;
    const rule = counterGapRule(options.counter);
    const rates = options.rates ?? true;
    this.#gapRule = rates ? rule : null;
    const size = rates ? COUNTER_SLAB_SIZE : COUNTER_DELTA_SLAB_SIZE;
    const seenAt = COUNTER_FIELDS.length * size;
    const lastSeen = options.lastSeen ?? true;
    const slab = new Float64Array(seenAt + (lastSeen ? NUMERIC_FIELDS.length : 0));
    for (let i = 0; i < COUNTER_FIELDS.length; i++) resetCounterState(slab, i * size, rates);
    slab.fill(Number.NaN, seenAt);
    this.#slab = slab;
    this.#counterSize = size;
    this.#seenAt = lastSeen ? seenAt : -1;
  }

  /** Rig of the series, or null before the first snapshot. */
  get rig(): string | null {
    return this.#rig;
  }

  /** Device of the series, or null before the first snapshot. */
  get device(): string | null {
    return this.#device;
  }

  /** Snapshots pushed so far. */
  get sampleCount(): number {
    return this.#count;
  }

  /** Time of the newest snapshot (epoch ms), or null before the first. */
  get latestTs(): number | null {
    return this.#count === 0 ? null : this.#latestTs;
  }

  /**
   * Adds the next snapshot and returns it with EMAs, EMA deltas, counter rates and deltas, and resets.
   * Throws RT_INPUT_TIME when `s.ts` is not after the previous one, RT_KERNEL_ARGUMENT when the
   * snapshot belongs to another rig or device.
   */
  push(s: Snapshot): TelemetrySnapshot {
    this.#checkIdentity(s);
    const ema: Partial<Record<GaugeField, number | null>> = {};
    const emaDelta: Partial<Record<GaugeField, number | null>> = {};
    const rate: Partial<Record<CounterField, number | null>> = {};
    const delta: Partial<Record<CounterField, number | null>> = {};
    const resets: CounterField[] = [];
    for (let i = 0; this.#withEmas && i < GAUGE_FIELDS.length; i++) {
      const f = GAUGE_FIELDS[i];
      const step = this.#emas[i].update(s.ts, s[f]);
      ema[f] = step.ema;
      emaDelta[f] = step.delta;
      this.#record(this.#ema, i, step.ema);
    }
    for (let i = 0; i < COUNTER_FIELDS.length; i++) {
      const f = COUNTER_FIELDS[i];
      const step = updateCounter(this.#slab, i * this.#counterSize, this.#gapRule, s.ts, s[f]);
      rate[f] = step.ratePerS;
      delta[f] = step.delta;
      if (step.isReset) resets.push(f);
      this.#record(this.#rate, i, step.ratePerS);
      this.#record(this.#delta, i, step.delta);
    }
    this.#recordNumeric(s);
    this.#ts?.push(s.ts);
    this.#latestTs = s.ts;
    this.#count++;
    return { ...s, ema, ema_delta: emaDelta, rate_per_s: rate, counter_delta: delta, counter_resets: resets };
  }

  /**
   * Adds the next snapshot like {@link push} but derives only the counter deltas and resets: the live
   * scorer's path, allocating one small object per sample instead of a copy of the snapshot. For a
   * series without history and EMAs (what the scorer builds) the state after it is the same as push's.
   */
  pushCounters(s: Snapshot): CounterDeltas {
    this.#checkIdentity(s);
    const delta: Partial<Record<CounterField, number | null>> = {};
    let resets: CounterField[] | null = null;
    for (let i = 0; i < COUNTER_FIELDS.length; i++) {
      const f = COUNTER_FIELDS[i];
      const step = updateCounter(this.#slab, i * this.#counterSize, this.#gapRule, s.ts, s[f]);
      delta[f] = step.delta;
      if (step.isReset) {
        if (resets === null) resets = [];
        resets.push(f);
      }
      this.#record(this.#rate, i, step.ratePerS);
      this.#record(this.#delta, i, step.delta);
    }
    this.#recordNumeric(s);
    for (let i = 0; this.#withEmas && i < GAUGE_FIELDS.length; i++) {
      const step = this.#emas[i].update(s.ts, s[GAUGE_FIELDS[i]]);
      this.#record(this.#ema, i, step.ema);
    }
    this.#ts?.push(s.ts);
    this.#latestTs = s.ts;
    this.#count++;
    return { counter_delta: delta, counter_resets: resets ?? NO_RESETS };
  }

  /** The newest `n` raw readings of `field`, newest last, NaN = missing; empty if never seen. */
  recent(field: NumericField, n: number): Float64Array {
    return this.#read(this.#raw, NUMERIC_INDEX.get(field), n);
  }

  /** The newest `n` EMA values of a gauge, newest last, NaN before its first reading. */
  recentEma(field: GaugeField, n: number): Float64Array {
    return this.#read(this.#ema, GAUGE_INDEX.get(field), n);
  }

  /** The newest `n` rates (per second) of a counter, newest last, NaN where the rate was null. */
  recentRate(field: CounterField, n: number): Float64Array {
    return this.#read(this.#rate, COUNTER_INDEX.get(field), n);
  }

  /** The newest `n` deltas of a counter, newest last, NaN where the delta was null. */
  recentDelta(field: CounterField, n: number): Float64Array {
    return this.#read(this.#delta, COUNTER_INDEX.get(field), n);
  }

  /** The newest `n` snapshot times (epoch ms), newest last. */
  recentTs(n: number): Float64Array {
    return this.#ts?.last(n) ?? new Float64Array(0);
  }

  /** Time (epoch ms) of the last non-null reading of `field`, or null if none yet. */
  lastSeenTs(field: NumericField): number | null {
    const index = NUMERIC_INDEX.get(field);
    const seen = index === undefined || this.#seenAt < 0 ? Number.NaN : this.#slab[this.#seenAt + index];
    return Number.isNaN(seen) ? null : seen;
  }

  /**
   * Milliseconds from the last non-null reading of `field` to `nowMs` (default: the newest snapshot's
   * time); 0 when the newest snapshot has it; null when it was never seen.
   */
  stalenessMs(field: NumericField, nowMs?: number): number | null {
    const seen = this.lastSeenTs(field);
    return seen === null ? null : (nowMs ?? this.#latestTs) - seen;
  }

  #checkIdentity(s: Snapshot): void {
    if (this.#rig === null) {
      this.#rig = s.rig;
      this.#device = s.device;
    } else if (s.rig !== this.#rig || s.device !== this.#device) {
      const msg = `snapshot of ${s.rig}/${s.device} pushed to the series of ${this.#rig}/${this.#device}`;
      throw new RigtuneError('RT_KERNEL_ARGUMENT', msg, { rig: s.rig, device: s.device });
    }
    if (this.#count > 0 && !(s.ts > this.#latestTs)) {
      const msg = `time does not increase: ${s.ts} ms after ${this.#latestTs} ms`;
      throw new RigtuneError('RT_INPUT_TIME', msg, { rig: s.rig, device: s.device, field: 'ts' });
    }
  }

  /** Last-seen times and raw history of the numeric fields (nothing when neither is kept). */
  #recordNumeric(s: Snapshot): void {
    const seenAt = this.#seenAt;
    if (seenAt < 0 && !this.#history) return;
    for (let i = 0; i < NUMERIC_FIELDS.length; i++) {
      const v = s[NUMERIC_FIELDS[i]];
      if (seenAt >= 0 && v !== null && Number.isFinite(v)) this.#slab[seenAt + i] = s.ts;
      this.#record(this.#raw, i, v);
    }
  }

  #record(history: History, index: number, value: number | null): void {
    if (!this.#history) return;
    const v = value !== null && Number.isFinite(value) ? value : Number.NaN;
    let buffer = history[index];
    if (buffer === undefined) {
      if (Number.isNaN(v)) return;
      buffer = new RingBuffer(this.#capacity);
      history[index] = buffer;
    }
    buffer.push(v);
  }

  #read(history: History, index: number | undefined, n: number): Float64Array {
    return (index === undefined ? undefined : history[index])?.last(n) ?? new Float64Array(0);
  }
}
