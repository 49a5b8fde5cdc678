// The advisory engine: fed each rig's scored tick (and the ingest's freshness reports), it runs the
// rules with the rig's options and publishes advice as ControlRecords through a callback. Pure policy:
// no I/O; time comes from the injected clock.

import type { Clock } from '../../core/clock.ts';
import type { ControlRecord } from '../../core/sink.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { HwErrorWindow } from './hw-error-window.ts';
import { type AdvisoryOptions, DEFAULT_ADVISORY_OPTIONS } from './options.ts';
import { boardIndex } from './rules/common.ts';
import { DEVICE_RULES, isRuleEnabled, RIG_RULES, staleFromFreshness } from './rules/index.ts';
import { AdviceTracker, type TrackerParams } from './tracker.ts';
import {
  ADVICE_KINDS,
  type AdvicePayload,
  type AdvisoryBatch,
  type DeviceFreshness,
  type DeviceView,
  type Finding,
} from './types.ts';

/** What the engine needs from its owner. */
export interface AdvisoryEngineDeps {
  /** Time of every record and of ttl expiry. */
  readonly clock: Clock;
  /** Receives each advice record (kind 'advice') as it is raised, updated or cleared. Must not throw. */
  readonly emit: (record: ControlRecord) => void;
  /**
   * Effective options of a rig (config: defaults, then the rig's overrides); default: built-ins.
   * Return the same object while the config is unchanged: a new object is read as a reconfiguration.
   */
  readonly optionsFor?: (rig: string) => AdvisoryOptions;
}

interface DeviceMemory {
  readonly hw: HwErrorWindow;
  freshness: DeviceFreshness['state'];
  lastFreshMs: number | null;
}

/** Freshness reports act at once: the ingest scheduler already waited before calling a device stale. */
const EVENT_PARAMS = { persistTicks: 1, clearTicks: 1 } as const;

export class AdvisoryEngine {
  readonly #clock: Clock;
  readonly #emit: (record: ControlRecord) => void;
  readonly #optionsFor: (rig: string) => AdvisoryOptions;
  readonly #tracker = new AdviceTracker();
  readonly #devices = new Map<string, DeviceMemory>();
  /** Keys of devices last reported stale or missing (the sweep re-raises their advice after expiry). */
  readonly #notFresh = new Set<string>();
  /** The options each rig was last evaluated with (a change withdraws advice of rules switched off). */
  readonly #lastOptions = new Map<string, AdvisoryOptions>();

  constructor(deps: AdvisoryEngineDeps) {
    this.#clock = deps.clock;
    this.#emit = deps.emit;
    this.#optionsFor = deps.optionsFor ?? (() => DEFAULT_ADVISORY_OPTIONS);
  }

  /**
   * Evaluates one rig's tick: device rules on each scored device (with its snapshot when the batch
   * has it), then rig rules over all of them. Expired advice is cleared first.
   */
  observe(batch: AdvisoryBatch): void {
    this.sweep();
    const nowMs = this.#clock.nowMs();
    const o = this.#options(batch.rig);
    if (!o.enabled) return;
    const params = paramsOf(o);
    const snapshots = new Map<string, Snapshot>();
    for (const s of batch.snapshots) snapshots.set(s.device, s);
    const views: DeviceView[] = [];
    for (const tick of batch.scores) {
      const snapshot = snapshots.get(tick.device) ?? null;
      const mem = this.#memory(batch.rig, tick.device);
      mem.freshness = 'fresh';
      this.#notFresh.delete(deviceKey(batch.rig, tick.device));
      mem.lastFreshMs = tick.ts;
      mem.hw.push(tick.ts, snapshot?.hw_errors ?? null);
      const hw = mem.hw.rate(1000 * o.rules.lower_core_clock.hw_window_s);
      views.push({
        rig: batch.rig,
        device: tick.device,
        board: boardIndex(tick.device),
        tick,
        snapshot,
        hwErrorsPerMin: hw.perMin,
        hwErrorsInWindow: hw.count,
        hwErrorsSpanS: hw.spanMs === null ? null : hw.spanMs / 1000,
        freshness: mem.freshness,
      });
    }
    for (const view of views)
      for (const [kind, rule] of DEVICE_RULES)
        if (isRuleEnabled(kind, o)) this.#feed(rule(view, o), nowMs, params);
    for (const [kind, rule] of RIG_RULES)
      if (isRuleEnabled(kind, o)) this.#feed(rule(batch.rig, views, o), nowMs, params);
  }

  /** Takes a freshness report of the ingest scheduler: stale or missing raises device_stale at once. */
  observeFreshness(status: DeviceFreshness): void {
    this.sweep();
    const mem = this.#memory(status.rig, status.device);
    mem.freshness = status.state;
    const key = deviceKey(status.rig, status.device);
    if (status.state === 'fresh') this.#notFresh.delete(key);
    else this.#notFresh.add(key);
    mem.lastFreshMs = status.lastFreshMs ?? mem.lastFreshMs;
    const o = this.#options(status.rig);
    if (!isRuleEnabled('device_stale', o)) return;
    const nowMs = this.#clock.nowMs();
    const f = staleFromFreshness(status.rig, status.device, status.state, mem.lastFreshMs, nowMs);
    this.#feed(f, nowMs, { ...paramsOf(o), ...EVENT_PARAMS });
  }

  /**
   * Clears advice whose ttl has passed (cause 'expired'); a device still reported stale is raised
   * again at once. Call it on every service tick when no batch arrives (observe calls it too).
   */
  sweep(): void {
    const nowMs = this.#clock.nowMs();
    for (const p of this.#tracker.expire(nowMs)) this.#publish(p, nowMs);
    for (const key of this.#notFresh) {
      const mem = this.#devices.get(key)!;
      const [rig, device] = key.split('\u0000');
      const o = this.#optionsFor(rig);
      if (!isRuleEnabled('device_stale', o)) continue;
      const f = staleFromFreshness(rig, device, mem.freshness, mem.lastFreshMs, nowMs);
      this.#feed(f, nowMs, { ...paramsOf(o), ...EVENT_PARAMS });
    }
  }

  /** Clears every advice of `rig` (cause 'rig_removed') and forgets its devices. */
  forgetRig(rig: string): void {
    const nowMs = this.#clock.nowMs();
    for (const p of this.#tracker.withdraw((_k, r) => r === rig, 'rig_removed')) this.#publish(p, nowMs);
    for (const key of [...this.#devices.keys()])
      if (key.startsWith(`${rig}\u0000`)) {
        this.#devices.delete(key);
        this.#notFresh.delete(key);
      }
    this.#lastOptions.delete(rig);
  }

  /**
   * Takes `records` (advice ControlRecords as published: `ts` = last emission) as the rig's active
   * advice, emitting nothing; pending counts and device windows stay. A new owner of a rig calls it
   * after replaying history, so episodes raised before the replayed stretch continue under their ids.
   */
  restoreActive(rig: string, records: readonly ControlRecord[]): void {
    const active: Array<{ payload: AdvicePayload; emittedMs: number }> = [];
    for (const r of records)
      if (r.kind === 'advice' && r.rig === rig)
        active.push({ payload: r.payload as AdvicePayload, emittedMs: r.ts });
    this.#tracker.restore(rig, active);
  }

  /** Advice active now (all rigs, or one), oldest first. */
  active(rig?: string): AdvicePayload[] {
    const all = this.#tracker.active();
    return rig === undefined ? all : all.filter((p) => p.target.rig === rig);
  }

  /** The rig's options; when they changed, advice of rules now switched off is withdrawn. */
  #options(rig: string): AdvisoryOptions {
    const o = this.#optionsFor(rig);
    if (this.#lastOptions.get(rig) !== o) {
      this.#lastOptions.set(rig, o);
      const off = new Set(ADVICE_KINDS.filter((k) => !isRuleEnabled(k, o)));
      if (off.size > 0) {
        const nowMs = this.#clock.nowMs();
        const gone = this.#tracker.withdraw((k, r) => r === rig && off.has(k), 'rule_disabled');
        for (const p of gone) this.#publish(p, nowMs);
      }
    }
    return o;
  }

  #memory(rig: string, device: string): DeviceMemory {
    const key = deviceKey(rig, device);
    let mem = this.#devices.get(key);
    if (mem === undefined) {
      mem = { hw: new HwErrorWindow(), freshness: 'fresh', lastFreshMs: null };
      this.#devices.set(key, mem);
    }
    return mem;
  }

  #feed(f: Finding | null, nowMs: number, params: TrackerParams): void {
    if (f === null) return;
    const p = this.#tracker.step(f, nowMs, params);
    if (p !== null) this.#publish(p, nowMs);
  }

  #publish(payload: AdvicePayload, nowMs: number): void {
    this.#emit({ kind: 'advice', rig: payload.target.rig, ts: nowMs, payload });
  }
}

function deviceKey(rig: string, device: string): string {
  return `${rig}\u0000${device}`;
}

function paramsOf(o: AdvisoryOptions): TrackerParams {
  return { persistTicks: o.persist_ticks, clearTicks: o.clear_ticks, ttlMs: o.ttl_ms };
}
