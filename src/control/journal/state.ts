// What the journal's lines add up to, rebuilt on every open and kept current after each append: actions
// with their status, the last-known-good set-points, the next id; and the compacted form of it all.

import type { SetpointKind } from '../../core/actuator.ts';
import {
  type ActionPurpose,
  type ActionStatus,
  type FailurePhase,
  type IntendedAction,
  type JournalLine,
  type LastKnownGood,
  type MarkEvent,
  seqOf,
} from './events.ts';

/** One action as the journal knows it. */
export interface JournalAction extends IntendedAction {
  readonly id: string;
  readonly status: ActionStatus;
  /** Time of the latest event, epoch ms. */
  readonly updatedMs: number;
  /** Value read back after the write (verified), when known. */
  readonly readback?: number | null;
  /** The latest failure, if any (an action that failed stays in flight until it is rolled back). */
  readonly failure?: { readonly phase: FailurePhase; readonly error: string };
  /** Why it was rolled back. */
  readonly rollbackReason?: string;
}

/** An action not yet validated or rolled back: after a crash, the device may be at `to` and unvalidated. */
export type InFlightAction = JournalAction & {
  readonly status: 'intended' | 'applied' | 'verified' | 'failed';
};

const TERMINAL: ReadonlySet<ActionStatus> = new Set(['validated', 'rolled_back']);
/** Statuses each event may follow. */
const FROM: Record<MarkEvent['type'], ReadonlySet<ActionStatus>> = {
  applied: new Set(['intended']),
  verified: new Set(['applied']),
  failed: new Set(['intended', 'applied', 'verified', 'failed']),
  validated: new Set(['verified']),
  rolled_back: new Set(['intended', 'applied', 'verified', 'failed']),
};

/** Purposes whose validation commits a last-known-good value (a restore goes back to a known value). */
const COMMITS: ReadonlySet<ActionPurpose> = new Set(['tune', 'manual']);

function lkgKey(rig: string, device: string, kind: SetpointKind): string {
  return `${rig}\u0000${device}\u0000${kind}`;
}

/** Mutable replay state; `apply` returns a problem string for an event that does not fit (and ignores it). */
export class JournalState {
  readonly #actions = new Map<string, JournalAction>();
  /** Every line of each kept action, for compaction. */
  readonly #lines = new Map<string, JournalLine[]>();
  readonly #lkg = new Map<string, LastKnownGood>();
  #nextSeq = 1;
  #latestMs = Number.NEGATIVE_INFINITY;

  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** Takes the next id (`a<seq>`). */
  takeId(): string {
    return `a${this.#nextSeq++}`;
  }

  apply(line: JournalLine): string | null {
    if (line.type === 'header') {
      this.#nextSeq = Math.max(this.#nextSeq, line.next_seq);
      return null;
    }
    this.#latestMs = Math.max(this.#latestMs, line.ts);
    if (line.type === 'lkg') {
      const { type: _, ...entry } = line;
      this.#lkg.set(lkgKey(line.rig, line.device, line.kind), entry);
      return null;
    }
    if (line.type === 'intended') {
      if (this.#actions.has(line.id)) return `action ${line.id} intended twice`;
      const { type: _, ...fields } = line;
      this.#actions.set(line.id, { ...fields, status: 'intended', updatedMs: line.ts });
      this.#lines.set(line.id, [line]);
      const seq = seqOf(line.id);
      if (seq !== null) this.#nextSeq = Math.max(this.#nextSeq, seq + 1);
      return null;
    }
    const action = this.#actions.get(line.id);
    if (action === undefined) return `${line.type} for unknown action ${line.id}`;
    if (!FROM[line.type].has(action.status))
      return `${line.type} after ${action.status} for action ${line.id}`;
    this.#actions.set(line.id, next(action, line));
    this.#lines.get(line.id)?.push(line);
    if (line.type === 'validated' && COMMITS.has(action.purpose))
      this.#lkg.set(lkgKey(action.rig, action.device, action.kind), {
        rig: action.rig,
        device: action.device,
        kind: action.kind,
        value: action.to,
        id: action.id,
        ts: line.ts,
      });
    return null;
  }

  /** Why `event` cannot be recorded now, or null when it fits. */
  check(event: MarkEvent): string | null {
    const action = this.#actions.get(event.id);
    if (action === undefined) return `no action ${event.id} in the journal`;
    if (!FROM[event.type].has(action.status))
      return `action ${event.id} is ${action.status}; ${event.type} cannot follow`;
    return null;
  }

  action(id: string): JournalAction | undefined {
    return this.#actions.get(id);
  }

  /** Actions neither validated nor rolled back, oldest first; only `rig`'s when given. */
  inFlight(rig?: string): InFlightAction[] {
    const out: InFlightAction[] = [];
    for (const a of this.#actions.values())
      if (!TERMINAL.has(a.status) && (rig === undefined || a.rig === rig)) out.push(a as InFlightAction);
    return out;
  }

  /** Last-known-good values, in (rig, device, kind) order; only `rig`'s when given. */
  lastKnownGood(rig?: string): LastKnownGood[] {
    return [...this.#lkg.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => v)
      .filter((v) => rig === undefined || v.rig === rig);
  }

  /** `rig`'s actions intended at or after `sinceMs`, oldest first (rate limits and cooldowns after a restart). */
  recent(rig: string, sinceMs: number): JournalAction[] {
    return [...this.#actions.values()].filter((a) => a.rig === rig && a.ts >= sinceMs);
  }

  get actionCount(): number {
    return this.#actions.size;
  }

  /**
   * Forgets finished actions intended more than `keepMs` before the latest event and returns the lines
   * of a compacted journal: header, last-known-good checkpoints, then every kept action's own lines.
   */
  compact(keepMs: number): JournalLine[] {
    const horizon = this.#latestMs - keepMs;
    for (const [actionId, a] of this.#actions)
      if (TERMINAL.has(a.status) && a.updatedMs < horizon) {
        this.#actions.delete(actionId);
        this.#lines.delete(actionId);
      }
    const out: JournalLine[] = [{ type: 'header', version: 1, next_seq: this.#nextSeq }];
    for (const v of this.lastKnownGood()) out.push({ type: 'lkg', ...v });
    for (const lines of this.#lines.values()) out.push(...lines);
    return out;
  }
}

function next(action: JournalAction, e: MarkEvent): JournalAction {
  const base = { ...action, updatedMs: e.ts };
  switch (e.type) {
    case 'applied':
      return { ...base, status: 'applied' };
    case 'verified':
      return { ...base, status: 'verified', readback: e.readback };
    case 'failed':
      return { ...base, status: 'failed', failure: { phase: e.phase, error: e.error } };
    case 'validated':
      return { ...base, status: 'validated' };
    default:
      return { ...base, status: 'rolled_back', rollbackReason: e.reason };
  }
}
