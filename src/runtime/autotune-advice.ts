// Lifetimes of auto-tune's advice: the controller raises advice with a ttl and never clears it; here each
// is cleared when its ttl passes or a newer one on the same subject replaces it, as the advisory engine does.

import type { ControlRecord } from '../core/sink.ts';

/** Why an auto-tune advice was cleared. */
export type AdviceClearCause = 'expired' | 'superseded' | 'rig_removed';

function subjectOf(record: ControlRecord): string {
  const p = record.payload as {
    kind?: unknown;
    target?: { device?: unknown } | null;
    delta?: { setpoint?: unknown } | null;
  };
  return [record.rig, p.kind, p.target?.device ?? '', p.delta?.setpoint ?? ''].map(String).join('\u0000');
}

function clearedOf(record: ControlRecord, ts: number, cause: AdviceClearCause): ControlRecord {
  return { ...record, ts, payload: { ...record.payload, state: 'cleared', cause } };
}

/** Passes control records on, adding a `cleared` record for each auto-tune advice whose life ended. */
export class AdviceLifetimes {
  readonly #emit: (record: ControlRecord) => void;
  /** The active advice per subject (rig, kind, device, set-point). */
  readonly #active = new Map<string, ControlRecord>();

  constructor(emit: (record: ControlRecord) => void) {
    this.#emit = emit;
  }

  /** Hands `record` on; a new advice first clears the one it replaces (cause `superseded`). */
  pass(record: ControlRecord): void {
    if (record.kind === 'advice') {
      const key = subjectOf(record);
      const before = this.#active.get(key);
      if (before !== undefined && before.payload.id !== record.payload.id)
        this.#emit(clearedOf(before, record.ts, 'superseded'));
      if (record.payload.state === 'cleared') this.#active.delete(key);
      else this.#active.set(key, record);
    }
    this.#emit(record);
  }

  /** Clears the advice of `rig` whose ttl ended by `nowMs` (epoch ms). */
  sweep(rig: string, nowMs: number): void {
    for (const [key, r] of this.#active) {
      const ttl = Number(r.payload.ttl_ms);
      if (r.rig === rig && Number.isFinite(ttl) && r.ts + ttl <= nowMs) {
        this.#active.delete(key);
        this.#emit(clearedOf(r, nowMs, 'expired'));
      }
    }
  }

  /** Clears every advice of `rig` (it is no longer tuned). */
  forget(rig: string, nowMs: number): void {
    for (const [key, r] of this.#active)
      if (r.rig === rig) {
        this.#active.delete(key);
        this.#emit(clearedOf(r, nowMs, 'rig_removed'));
      }
  }

  /** Active advice records (all rigs). */
  get size(): number {
    return this.#active.size;
  }
}
