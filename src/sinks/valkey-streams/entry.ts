// The partition stream entry (one rig poll: rig, collector, sequence, time, settings hash, snapshots)
// as stream fields and back, the collector's sequence rule, and the ids workers derive from entries.

import type { Snapshot } from '../../core/snapshot.ts';

/** Most snapshots in one entry; a larger poll is split (ids derived per snapshot stay unique). */
export const MAX_SNAPSHOTS_PER_ENTRY = 1024;

/** One entry of `telemetry:snapshots:{p}`: what one source poll of one rig produced. */
export interface StreamEntry {
  readonly rig: string;
  /** Id of the collector that appended it. */
  readonly collector: string;
  /** The collector's sequence number (see nextSeq): increasing per collector, never reused. */
  readonly seq: number;
  /** Time of the poll (the newest snapshot's ts), epoch ms. */
  readonly ts: number;
  /** Hash of the rig's settings (rigtune:rig-config); '' = defaults. */
  readonly cfg: string;
  /** In the order the source emitted them (each device's samples in time order). */
  readonly snapshots: readonly Snapshot[];
  /**
   * The collector's clock when the poll's samples arrived, epoch ms: what `rigtune run` stamps its
   * batch (and its advice records) with. Entries without the field read back with `ts`.
   */
  readonly tickMs: number;
}

/**
 * One poll of `rig` as entries of at most MAX_SNAPSHOTS_PER_ENTRY snapshots, each with `ts` = its
 * newest snapshot's ts and the sequence `nextSeqOf()` hands out; `tickMs` null = each entry's ts.
 */
export function pollEntries(
  rig: string,
  snapshots: readonly Snapshot[],
  meta: { readonly collector: string; readonly cfg: string; readonly tickMs: number | null },
  nextSeqOf: () => number,
): StreamEntry[] {
  const out: StreamEntry[] = [];
  for (let i = 0; i < snapshots.length; i += MAX_SNAPSHOTS_PER_ENTRY) {
    const part = snapshots.slice(i, i + MAX_SNAPSHOTS_PER_ENTRY);
    let ts = 0;
    for (const s of part) if (s.ts > ts) ts = s.ts;
    const { collector, cfg } = meta;
    out.push({ rig, collector, seq: nextSeqOf(), ts, cfg, snapshots: part, tickMs: meta.tickMs ?? ts });
  }
  return out;
}

/** Stream fields of an entry, in a fixed order: rig, collector, seq, ts, cfg, snapshots (JSON array), tick. */
export function encodeEntry(e: StreamEntry): string[] {
  return [
    'rig',
    e.rig,
    'collector',
    e.collector,
    'seq',
    String(e.seq),
    'ts',
    String(e.ts),
    'cfg',
    e.cfg,
    'snapshots',
    JSON.stringify(e.snapshots),
    'tick',
    String(e.tickMs),
  ];
}

/** An entry read back, or why it is not one (a foreign or damaged entry: skipped and counted). */
export type DecodedEntry =
  | { readonly ok: true; readonly entry: StreamEntry }
  | { readonly ok: false; readonly reason: string };

/** Parses the flat field list of a stream entry (`[field, value, …]`, as XRANGE/XREADGROUP give it). */
export function decodeEntry(fields: readonly unknown[]): DecodedEntry {
  const f = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const k = fields[i];
    const v = fields[i + 1];
    if (typeof k === 'string' && typeof v === 'string') f.set(k, v);
  }
  const rig = f.get('rig');
  const collector = f.get('collector');
  const seq = Number(f.get('seq'));
  const ts = Number(f.get('ts'));
  if (rig === undefined || rig === '') return { ok: false, reason: 'no rig' };
  if (collector === undefined) return { ok: false, reason: 'no collector' };
  if (!Number.isSafeInteger(seq) || seq < 0) return { ok: false, reason: 'bad seq' };
  if (!Number.isFinite(ts)) return { ok: false, reason: 'bad ts' };
  const tick = f.get('tick');
  const tickMs = tick === undefined ? ts : Number(tick);
  if (!Number.isFinite(tickMs)) return { ok: false, reason: 'bad tick' };
  let snapshots: unknown;
  try {
    snapshots = JSON.parse(f.get('snapshots') ?? '');
  } catch {
    return { ok: false, reason: 'snapshots are not JSON' };
  }
  if (!Array.isArray(snapshots)) return { ok: false, reason: 'snapshots are not a list' };
  for (const s of snapshots)
    if (
      typeof s !== 'object' ||
      s === null ||
      s.rig !== rig ||
      typeof s.device !== 'string' ||
      typeof s.ts !== 'number'
    )
      return { ok: false, reason: 'a snapshot lacks rig, device or ts' };
  return {
    ok: true,
    entry: { rig, collector, seq, ts, cfg: f.get('cfg') ?? '', snapshots: snapshots as Snapshot[], tickMs },
  };
}

/**
 * The collector's next sequence number: `max(prev + 1, floor(nowMs) × 1000)`. Increasing within a run;
 * across a restart the clock has moved on, so the new run starts above everything the old one used
 * (unless it appended more than 1000 entries per ms on average, or the wall clock stepped back).
 * Below 2^53 until the year 2255.
 */
export function nextSeq(prev: number, nowMs: number): number {
  return Math.max(prev + 1, Math.floor(nowMs) * 1000);
}

/** Parts of a stream id `<ms>-<seq>`; null when `id` is not one. */
export function parseStreamId(id: string): { readonly ms: bigint; readonly seq: bigint } | null {
  const m = /^(\d+)-(\d+)$/.exec(id);
  return m === null ? null : { ms: BigInt(m[1]), seq: BigInt(m[2]) };
}

/** −1, 0 or 1 as stream id `a` is before, equal to or after `b` (both valid ids). */
export function compareStreamIds(a: string, b: string): number {
  const x = parseStreamId(a);
  const y = parseStreamId(b);
  if (x === null || y === null) throw new RangeError(`not stream ids: ${a}, ${b}`);
  if (x.ms !== y.ms) return x.ms < y.ms ? -1 : 1;
  return x.seq === y.seq ? 0 : x.seq < y.seq ? -1 : 1;
}

const SLOTS_PER_ENTRY = 65_536n;

/**
 * Id of the `index`-th record a worker derives from partition entry `entryId` (`<ms>-<seq>`) in a
 * per-rig output stream: `<ms>-<seq × 65536 + index>`. A rig lives in one partition, so these ids
 * increase with the entries, and processing an entry again (after a takeover) yields the same ids:
 * the server refuses them as "equal or smaller" and nothing is written twice.
 */
export function derivedId(entryId: string, index: number): string {
  const id = parseStreamId(entryId);
  if (id === null) throw new RangeError(`not a stream id: ${entryId}`);
  if (!Number.isInteger(index) || index < 0 || BigInt(index) >= SLOTS_PER_ENTRY)
    throw new RangeError(`record index out of range: ${index}`);
  return `${id.ms}-${id.seq * SLOTS_PER_ENTRY + BigInt(index)}`;
}
