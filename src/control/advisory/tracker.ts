// Hysteresis, de-duplication and lifetime of advice: one slot per (kind, rig, device) turns the rules'
// tick-by-tick verdicts into records that are raised once, updated on change, and cleared explicitly.

import type { AdviceDelta, AdviceKind, AdvicePayload, ClearCause, Finding, Severity } from './types.ts';
import { SEVERITIES } from './types.ts';

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

const TITLES: Readonly<Record<AdviceKind, string>> = {
  lower_power_limit: 'lower the power limit',
  raise_fan: 'raise the fan',
  lower_core_clock: 'lower the core clock',
  check_fan: 'check the fan',
  check_pool: 'check the pool',
  inspect_hashboard: 'inspect the hashboard',
  inspect_device: 'inspect the device',
  check_power_supply: 'check the power supply',
  device_stale: 'check why samples stopped',
};

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

function where(p: AdvicePayload): string {
  return p.target.device === null ? p.target.rig : `${p.target.rig}/${p.target.device}`;
}

function clearReason(p: AdvicePayload, cause: ClearCause, params: TrackerParams | null): string {
  const title = TITLES[p.kind];
  switch (cause) {
    case 'condition_ended':
      return `Cleared: ${where(p)} no longer needs to ${title} (${params?.clearTicks ?? 1} ticks past the clear threshold).`;
    case 'expired':
      return `Expired: the advice to ${title} on ${where(p)} reached its ${Math.round(p.ttl_ms / 1000)} s lifetime; it is raised again if the condition still holds.`;
    case 'rule_disabled':
      return `Withdrawn: the ${p.kind} rule is switched off for ${p.target.rig}.`;
    case 'rig_removed':
      return `Withdrawn: ${p.target.rig} is no longer observed.`;
  }
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
      this.#slots.set(key, slot);
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
      else this.#slots.delete(key);
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
      this.#slots.set(key, slot);
      this.#nextDueMs = Math.min(this.#nextDueMs, r.emittedMs + r.payload.ttl_ms);
    }
  }

  /** Advice active now, in raise order. */
  active(): AdvicePayload[] {
    const out: AdvicePayload[] = [];
    for (const slot of this.#slots.values()) if (slot.active !== null) out.push(slot.active);
    return out.sort((a, b) => a.raised_ms - b.raised_ms);
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
    this.#slots.delete(key);
    return { ...p, state: 'cleared', delta: null, reason: clearReason(p, cause, params), evidence, cause };
  }
}

function idOf(f: Finding, nowMs: number): string {
  return `${f.kind}:${f.target.rig}:${f.target.device ?? '*'}:${nowMs}`;
}
