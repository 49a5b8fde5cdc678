// Hysteresis, de-duplication and lifetime of advice: one slot per (kind, rig, device) turns the rules'
// tick-by-tick verdicts into records that are raised once, updated on change, and cleared explicitly.

import { clearReason } from './clear-reason.ts';
import type {
  AdviceDelta,
  AdviceKind,
  AdvicePayload,
  ClearCause,
  Finding,
  FindingGist,
  Severity,
} from './types.ts';
import { ADVICE_KINDS, SEVERITIES } from './types.ts';

/** How many ticks a verdict must persist, and how long a record lives. */
export interface TrackerParams {
  /** Consecutive `on` verdicts before an advice is raised. */
  readonly persistTicks: number;
  /** Consecutive `off` verdicts before an active advice is cleared. */
  readonly clearTicks: number;
  /** Lifetime of a record from its (re-)emission, ms. */
  readonly ttlMs: number;
}

interface Slot {
  readonly kind: AdviceKind;
  readonly rig: string;
  readonly device: string | null;
  onCount: number;
  offCount: number;
  active: AdvicePayload | null;
  /** When `active` was last emitted (raise or update), epoch ms. */
  emittedMs: number;
}

const KIND_BITS = Object.fromEntries(ADVICE_KINDS.map((k, i) => [k, 1 << i])) as Readonly<
  Record<AdviceKind, number>
>;

/** The bit of `kind` in a slot mask (see AdviceTracker.slotMask). */
export function kindBit(kind: AdviceKind): number {
  return KIND_BITS[kind];
}

/** The slot key of a finding or record: kind, rig and device (null device = the rig). */
export function adviceKey(kind: AdviceKind, rig: string, device: string | null): string {
  return `${kind}\u0000${rig}\u0000${device ?? ''}`;
}

function rank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

function sameDelta(a: AdviceDelta | null, b: AdviceDelta | null): boolean {
  if (a === null || b === null) return a === b;
  return a.setpoint === b.setpoint && a.by === b.by && a.unit === b.unit;
}

/**
 * Per-slot state machine. Inactive: `on` counts up (anything else resets the count) and the advice is
 * raised at `persistTicks`. Active: `on`/`hold` keep it (an `on` whose delta differs, or whose
 * severity is higher, re-emits it under the same id; severity never drops while active); `off` counts
 * up to `clearTicks`, then a 'cleared' record ends it. Records older than their ttl are cleared by
 * `expire`, and the slot starts counting again.
 */
export class AdviceTracker {
  readonly #slots = new Map<string, Slot>();
  /** Per rig, per device ('' = the rig): the kindBit of every kind with a slot (pending or active). */
  readonly #masks = new Map<string, Map<string, number>>();
  /** No active record expires before this time (epoch ms), so most `expire` calls return at once. */
  #nextDueMs = Number.POSITIVE_INFINITY;

  /** Feeds one verdict at `nowMs`; returns the record to publish, or null (nothing changed). */
  step(f: Finding, nowMs: number, params: TrackerParams): AdvicePayload | null {
    const key = adviceKey(f.kind, f.target.rig, f.target.device);
    let slot = this.#slots.get(key);
    if (slot === undefined) {
      if (f.state !== 'on') return null;
      slot = {
        kind: f.kind,
        rig: f.target.rig,
        device: f.target.device,
        onCount: 0,
        offCount: 0,
        active: null,
        emittedMs: 0,
      };
      this.#put(key, slot);
    }
    const active = slot.active;
    if (active === null) {
      slot.onCount = f.state === 'on' ? slot.onCount + 1 : 0;
      if (slot.onCount < params.persistTicks) return null;
      return this.#emit(
        slot,
        { ...this.#fromFinding(f, params), id: idOf(f, nowMs), raised_ms: nowMs },
        nowMs,
      );
    }
    if (f.state === 'off') {
      slot.offCount += 1;
      if (slot.offCount < params.clearTicks) return null;
      return this.#end(key, slot, 'condition_ended', params, f.evidence);
    }
    slot.offCount = 0;
    if (f.state !== 'on') return null;
    const severity = rank(f.severity) > rank(active.severity) ? f.severity : active.severity;
    if (severity === active.severity && sameDelta(f.delta, active.delta)) return null;
    const update = { ...this.#fromFinding(f, params), severity, id: active.id, raised_ms: active.raised_ms };
    return this.#emit(slot, update, nowMs);
  }

  /**
   * Feeds a verdict without its finding where the finding cannot matter, as `step` would with any
   * finding of this state (and, for an `on` verdict on an active advice, of this gist). Returns
   * 'done' when applied; 'need_gist' when the advice is active and the verdict `on` but `gist` is
   * null; 'need_finding' when a record would be emitted: nothing was applied, call `step`.
   * `device` null = the rig itself.
   */
  stepVerdict(
    kind: AdviceKind,
    rig: string,
    device: string | null,
    state: Finding['state'],
    params: TrackerParams,
    gist: FindingGist | null,
  ): 'done' | 'need_gist' | 'need_finding' {
    const key = adviceKey(kind, rig, device);
    let slot = this.#slots.get(key);
    if (slot === undefined) {
      if (state !== 'on') return 'done';
      if (params.persistTicks <= 1) return 'need_finding';
      slot = { kind, rig, device, onCount: 0, offCount: 0, active: null, emittedMs: 0 };
      this.#put(key, slot);
    }
    const active = slot.active;
    if (active === null) {
      if (state !== 'on') slot.onCount = 0;
      else if (slot.onCount + 1 >= params.persistTicks) return 'need_finding';
      else slot.onCount += 1;
      return 'done';
    }
    if (state === 'off') {
      if (slot.offCount + 1 >= params.clearTicks) return 'need_finding';
      slot.offCount += 1;
      return 'done';
    }
    if (state === 'on') {
      if (gist === null) return 'need_gist';
      if (rank(gist.severity) > rank(active.severity) || !sameDelta(gist.delta, active.delta))
        return 'need_finding';
    }
    slot.offCount = 0;
    return 'done';
  }

  /** Clears every active record whose ttl has passed at `nowMs` (cause 'expired'). */
  expire(nowMs: number): AdvicePayload[] {
    if (nowMs < this.#nextDueMs) return [];
    const out: AdvicePayload[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [key, slot] of this.#slots) {
      if (slot.active === null) continue;
      const dueMs = slot.emittedMs + slot.active.ttl_ms;
      if (nowMs >= dueMs) out.push(this.#end(key, slot, 'expired', null, slot.active.evidence));
      else next = Math.min(next, dueMs);
    }
    this.#nextDueMs = next;
    return out;
  }

  /**
   * Forgets the slots `match` selects (rule switched off, rig removed): their pending counts are
   * dropped and their active records cleared with `cause`, which are returned.
   */
  withdraw(
    match: (kind: AdviceKind, rig: string, device: string | null) => boolean,
    cause: ClearCause,
  ): AdvicePayload[] {
    const out: AdvicePayload[] = [];
    for (const [key, slot] of this.#slots) {
      if (!match(slot.kind, slot.rig, slot.device)) continue;
      if (slot.active !== null) out.push(this.#end(key, slot, cause, null, slot.active.evidence));
      else this.#remove(key, slot);
    }
    return out;
  }

  /**
   * Makes `records` (each an active payload and when it was last emitted, epoch ms) the active advice
   * of `rig`, emitting nothing: an active slot of the rig not among them is made inactive, a slot of
   * one of them takes it (its pending on/off counts kept when it already held that episode). Used when
   * a new owner takes a rig over and the published set is the truth (runtime/scale).
   */
  restore(
    rig: string,
    records: ReadonlyArray<{ readonly payload: AdvicePayload; readonly emittedMs: number }>,
  ): void {
    const wanted = new Map<string, { readonly payload: AdvicePayload; readonly emittedMs: number }>();
    for (const r of records)
      if (r.payload.target.rig === rig && r.payload.state === 'active')
        wanted.set(adviceKey(r.payload.kind, rig, r.payload.target.device), r);
    for (const [key, slot] of this.#slots)
      if (slot.rig === rig && slot.active !== null && !wanted.has(key)) {
        slot.active = null;
        slot.onCount = 0;
        slot.offCount = 0;
      }
    for (const [key, r] of wanted) {
      const held = this.#slots.get(key);
      const same = held?.active?.id === r.payload.id;
      const slot: Slot = held ?? {
        kind: r.payload.kind,
        rig,
        device: r.payload.target.device,
        onCount: 0,
        offCount: 0,
        active: null,
        emittedMs: 0,
      };
      if (!same) {
        slot.onCount = 0;
        slot.offCount = 0;
      }
      slot.active = r.payload;
      slot.emittedMs = r.emittedMs;
      this.#put(key, slot);
      this.#nextDueMs = Math.min(this.#nextDueMs, r.emittedMs + r.payload.ttl_ms);
    }
  }

  /**
   * Kinds holding a slot (a pending count or an active record) for `rig` and `device` (null = the rig
   * itself), as an OR of kindBit. A verdict other than `on` for a kind whose bit is clear changes
   * nothing, so callers may skip building its finding. Cost: two Map lookups, no allocation.
   */
  slotMask(rig: string, device: string | null): number {
    return this.#masks.get(rig)?.get(device ?? '') ?? 0;
  }

  /** Advice active now, in raise order. */
  active(): AdvicePayload[] {
    const out: AdvicePayload[] = [];
    for (const slot of this.#slots.values()) if (slot.active !== null) out.push(slot.active);
    return out.sort((a, b) => a.raised_ms - b.raised_ms);
  }

  #put(key: string, slot: Slot): void {
    this.#slots.set(key, slot);
    let byDevice = this.#masks.get(slot.rig);
    if (byDevice === undefined) {
      byDevice = new Map();
      this.#masks.set(slot.rig, byDevice);
    }
    const device = slot.device ?? '';
    byDevice.set(device, (byDevice.get(device) ?? 0) | KIND_BITS[slot.kind]);
  }

  #remove(key: string, slot: Slot): void {
    this.#slots.delete(key);
    const byDevice = this.#masks.get(slot.rig);
    if (byDevice === undefined) return;
    const device = slot.device ?? '';
    const mask = (byDevice.get(device) ?? 0) & ~KIND_BITS[slot.kind];
    if (mask !== 0) byDevice.set(device, mask);
    else if (byDevice.delete(device) && byDevice.size === 0) this.#masks.delete(slot.rig);
  }

  #fromFinding(f: Finding, params: TrackerParams) {
    return {
      state: 'active' as const,
      kind: f.kind,
      target: f.target,
      delta: f.delta,
      reason: f.reason,
      evidence: f.evidence,
      ttl_ms: params.ttlMs,
      severity: f.severity,
      cause: null,
    };
  }

  #emit(slot: Slot, payload: AdvicePayload, nowMs: number): AdvicePayload {
    slot.active = payload;
    slot.emittedMs = nowMs;
    this.#nextDueMs = Math.min(this.#nextDueMs, nowMs + payload.ttl_ms);
    slot.onCount = 0;
    slot.offCount = 0;
    return payload;
  }

  #end(
    key: string,
    slot: Slot,
    cause: ClearCause,
    params: TrackerParams | null,
    evidence: AdvicePayload['evidence'],
  ): AdvicePayload {
    const p = slot.active!;
    this.#remove(key, slot);
    return { ...p, state: 'cleared', delta: null, reason: clearReason(p, cause, params), evidence, cause };
  }
}

function idOf(f: Finding, nowMs: number): string {
  return `${f.kind}:${f.target.rig}:${f.target.device ?? '*'}:${nowMs}`;
}
