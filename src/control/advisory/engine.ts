// The advisory engine: fed each rig's scored tick (and the ingest's freshness reports), it runs the
// rules with the rig's options and publishes advice as ControlRecords through a callback. Pure policy:
// no I/O; time comes from the injected clock.

import type { Clock } from '../../core/clock.ts';
import type { ScoreTick } from '../../core/scores.ts';
import type { ControlRecord } from '../../core/sink.ts';
import { HwErrorWindow } from './hw-error-window.ts';
import { type AdvisoryOptions, DEFAULT_ADVISORY_OPTIONS } from './options.ts';
import { byDevice, isAligned, planOf } from './plan.ts';
import { boardIndex } from './rules/common.ts';
import { isRuleEnabled, staleFromFreshness } from './rules/index.ts';
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
/** Readings a hardware-error window keeps over its span (≈ 1 per 5 s for 10 min; see HwErrorWindow). */
const HW_WINDOW_POINTS = 128;

export interface AdvisoryEngineDeps {
  /** Time of every record and of ttl expiry. */
  readonly clock: Clock;
  /** Receives each advice record (kind 'advice') as it is raised, updated or cleared. Must not throw. */
  readonly emit: (record: ControlRecord) => void;
  /**
   * Effective options of a rig (config: defaults, then the rig's overrides); default: built-ins.
   * Return the same object while the config is unchanged: a new object is read as a reconfiguration.
   * Never change an options object in place (the engine derives its plan once per object).
   */
  readonly optionsFor?: (rig: string) => AdvisoryOptions;
}

interface DeviceMemory {
  readonly rig: string;
  readonly device: string;
  /** boardIndex of the device. */
  readonly board: number | null;
  readonly hw: HwErrorWindow;
  /** Not 'fresh' exactly while the memory is in #notFresh. */
  freshness: DeviceFreshness['state'];
  lastFreshMs: number | null;
  /** The last batch (#batches) that saw this device. */
  stamp: number;
}

export class AdvisoryEngine {
  readonly #clock: Clock;
  readonly #emit: (record: ControlRecord) => void;
  readonly #optionsFor: (rig: string) => AdvisoryOptions;
  readonly #tracker = new AdviceTracker();
  /** Per rig, per device name. */
  readonly #devices = new Map<string, Map<string, DeviceMemory>>();
  /** Devices last reported stale or missing (the sweep re-raises their advice after expiry). */
  readonly #notFresh = new Set<DeviceMemory>();
  /** The options each rig was last evaluated with (a change withdraws advice of rules switched off). */
  readonly #lastOptions = new Map<string, AdvisoryOptions>();
  /** Records published so far: a change tells observe the tracker may have moved under it. */
  #published = 0;
  /** Batches observed so far (DeviceMemory.stamp), and the per-tick memories of the latest. */
  #batches = 0;
  readonly #mems: DeviceMemory[] = [];

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
    const rig = batch.rig;
    const o = this.#options(rig);
    if (!o.enabled) return;
    const plan = planOf(o);
    const scores = batch.scores;
    const devices = this.#rigDevices(rig);
    const mems = this.#memoryOnce(devices, rig, scores);
    // The tick's snapshot is the last one of its device; when both lists hold the same devices in the
    // same order, each once, that is the one at the same index (no Map to build and hash per tick).
    const snapshots = mems !== null && isAligned(batch.snapshots, scores) ? null : byDevice(batch.snapshots);
    const views: DeviceView[] = [];
    for (let i = 0; i < scores.length; i++) {
      const tick = scores[i];
      const snapshot = snapshots === null ? batch.snapshots[i] : (snapshots.get(tick.device) ?? null);
      const mem = mems === null ? this.#memory(devices, rig, tick.device) : mems[i];
      if (mem.freshness !== 'fresh') {
        mem.freshness = 'fresh';
        this.#notFresh.delete(mem);
      }
      mem.lastFreshMs = tick.ts;
      const hw = mem.hw;
      hw.push(tick.ts, snapshot?.hw_errors ?? null);
      hw.measure(plan.hwWindowMs);
      views.push({
        rig,
        device: tick.device,
        board: mem.board,
        tick,
        snapshot,
        hwErrorsPerMin: hw.perMin,
        hwErrorsInWindow: hw.count,
        hwErrorsSpanS: hw.spanMs === null ? null : hw.spanMs / 1000,
        freshness: 'fresh',
      });
    }
    // Findings (reason text, evidence) are built only for records to emit: a verdict other than 'on'
    // for a kind with no slot changes nothing, and the tracker takes the rest as a bare verdict.
    const tracker = this.#tracker;
    const params = plan.params;
    for (const view of views) {
      let seen = this.#published;
      let mask = tracker.slotMask(rig, view.device);
      for (const { entry, bit } of plan.deviceRules) {
        const state = entry.state(view, o);
        if (state === null) continue;
        if (seen !== this.#published) {
          seen = this.#published;
          mask = tracker.slotMask(rig, view.device);
        }
        if ((mask & bit) === 0 && state !== 'on') continue;
        // The gist matters only to an 'on' verdict on an active slot (so one with its bit set).
        const gist = state === 'on' && (mask & bit) !== 0 ? entry.gist(view, o) : null;
        let step = tracker.stepVerdict(entry.kind, rig, view.device, state, params, gist);
        if (step === 'need_gist')
          step = tracker.stepVerdict(entry.kind, rig, view.device, state, params, entry.gist(view, o));
        if (step === 'need_finding') this.#feed(entry.rule(view, o), nowMs, params);
      }
    }
    for (const { entry, bit } of plan.rigRules) {
      const state = entry.state(rig, views, o);
      if (state === null) continue;
      const held = (tracker.slotMask(rig, null) & bit) !== 0;
      if (!held && state !== 'on') continue;
      const gist = state === 'on' && held ? entry.gist(rig, views, o) : null;
      let step = tracker.stepVerdict(entry.kind, rig, null, state, params, gist);
      if (step === 'need_gist')
        step = tracker.stepVerdict(entry.kind, rig, null, state, params, entry.gist(rig, views, o));
      if (step === 'need_finding') this.#feed(entry.rule(rig, views, o), nowMs, params);
    }
  }

  /** Takes a freshness report of the ingest scheduler: stale or missing raises device_stale at once. */
  observeFreshness(status: DeviceFreshness): void {
    this.sweep();
    const mem = this.#memory(this.#rigDevices(status.rig), status.rig, status.device);
    mem.freshness = status.state;
    if (status.state === 'fresh') this.#notFresh.delete(mem);
    else this.#notFresh.add(mem);
    mem.lastFreshMs = status.lastFreshMs ?? mem.lastFreshMs;
    const o = this.#options(status.rig);
    if (!isRuleEnabled('device_stale', o)) return;
    const nowMs = this.#clock.nowMs();
    const f = staleFromFreshness(status.rig, status.device, status.state, mem.lastFreshMs, nowMs);
    this.#feed(f, nowMs, planOf(o).eventParams);
  }

  /**
   * Clears advice whose ttl has passed (cause 'expired'); a device still reported stale is raised
   * again at once. Call it on every service tick when no batch arrives (observe calls it too).
   */
  sweep(): void {
    const nowMs = this.#clock.nowMs();
    for (const p of this.#tracker.expire(nowMs)) this.#publish(p, nowMs);
    for (const mem of this.#notFresh) {
      const o = this.#optionsFor(mem.rig);
      if (!isRuleEnabled('device_stale', o)) continue;
      const f = staleFromFreshness(mem.rig, mem.device, mem.freshness, mem.lastFreshMs, nowMs);
      this.#feed(f, nowMs, planOf(o).eventParams);
    }
  }

  /** Clears every advice of `rig` (cause 'rig_removed') and forgets its devices. */
  forgetRig(rig: string): void {
    const nowMs = this.#clock.nowMs();
    for (const p of this.#tracker.withdraw((_k, r) => r === rig, 'rig_removed')) this.#publish(p, nowMs);
    for (const mem of this.#devices.get(rig)?.values() ?? []) this.#notFresh.delete(mem);
    this.#devices.delete(rig);
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

  #rigDevices(rig: string): Map<string, DeviceMemory> {
    let devices = this.#devices.get(rig);
    if (devices === undefined) {
      devices = new Map();
      this.#devices.set(rig, devices);
    }
    return devices;
  }

  /**
   * The memory of each tick's device in order, or null when a device has two ticks in the batch.
   * The array is reused by the next batch.
   */
  #memoryOnce(
    devices: Map<string, DeviceMemory>,
    rig: string,
    scores: readonly ScoreTick[],
  ): DeviceMemory[] | null {
    const stamp = ++this.#batches;
    const mems = this.#mems;
    mems.length = 0;
    for (const tick of scores) {
      const mem = this.#memory(devices, rig, tick.device);
      if (mem.stamp === stamp) return null;
      mem.stamp = stamp;
      mems.push(mem);
    }
    return mems;
  }

  #memory(devices: Map<string, DeviceMemory>, rig: string, device: string): DeviceMemory {
    let mem = devices.get(device);
    if (mem === undefined) {
      mem = {
        rig,
        device,
        board: boardIndex(device),
        hw: new HwErrorWindow(planOf(this.#optionsFor(rig)).hwWindowMs / HW_WINDOW_POINTS),
        freshness: 'fresh',
        lastFreshMs: null,
        stamp: 0,
      };
      devices.set(device, mem);
    }
    return mem;
  }

  #feed(f: Finding | null, nowMs: number, params: TrackerParams): void {
    if (f === null) return;
    const p = this.#tracker.step(f, nowMs, params);
    if (p !== null) this.#publish(p, nowMs);
  }

  #publish(payload: AdvicePayload, nowMs: number): void {
    this.#published += 1;
    this.#emit({ kind: 'advice', rig: payload.target.rig, ts: nowMs, payload });
  }
}
