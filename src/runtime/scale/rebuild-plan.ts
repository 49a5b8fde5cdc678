// Pure planning of a partition takeover: which stretch of the stream's history to replay to rebuild the
// devices' windows before scoring, and the per-rig guard that processes each collector entry once.

import { compareStreamIds, parseStreamId } from '../../sinks/valkey-streams/index.ts';

/** An XRANGE range: `start` inclusive, `end` inclusive or exclusive with a leading `(`. */
export interface HistoryRange {
  readonly start: string;
  readonly end: string;
}

/**
 * History to replay when taking over: the entries up to what was processed last — just before the
 * first claimed (pending) entry, or up to the group's last delivered id when nothing was pending —
 * going back `rebuildMs` (by stream id time). Null when nothing was ever delivered.
 */
export function historyRange(
  firstClaimedId: string | null,
  lastDeliveredId: string,
  rebuildMs: number,
): HistoryRange | null {
  const endId = firstClaimedId ?? lastDeliveredId;
  const end = parseStreamId(endId);
  if (end === null || (end.ms === 0n && end.seq === 0n)) return null;
  const back = BigInt(Math.max(0, Math.floor(rebuildMs)));
  const startMs = end.ms > back ? end.ms - back : 0n;
  return { start: `${startMs}-0`, end: firstClaimedId === null ? lastDeliveredId : `(${firstClaimedId}` };
}

/** The XRANGE start after a page ending at `lastId` (exclusive). */
export function nextPageStart(lastId: string): string {
  return `(${lastId}`;
}

/** True when `id` is at or before `bound` (both stream ids). */
export function isAtOrBefore(id: string, bound: string): boolean {
  return compareStreamIds(id, bound) <= 0;
}

/**
 * Processed-once guard per rig: an entry is admitted when it comes from another collector than the
 * rig's last one, or from the same collector with a higher sequence. A resent entry (same collector
 * and sequence) or a stale one (lower sequence) is refused. Collectors' sequences only grow
 * (`nextSeq`), and the append script already refuses resends, so this is the second line.
 */
export class SeqGuard {
  readonly #last = new Map<string, { collector: string; seq: number }>();

  /** Admits (and records) or refuses an entry of `rig`. */
  admit(rig: string, collector: string, seq: number): boolean {
    const held = this.#last.get(rig);
    if (held !== undefined && held.collector === collector && seq <= held.seq) return false;
    this.#last.set(rig, { collector, seq });
    return true;
  }

  forget(rig: string): void {
    this.#last.delete(rig);
  }
}
