// Batches and control records → script calls (keys + arguments), with stream ids that make a resend a
// no-op; and the spool line format. Pure: README.md lists the keys, fields and ids this produces.

import { jsonOf } from '../../core/json-memo.ts';
import type { ControlRecord, RigState, RigTickBatch } from '../../core/sink.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { ADVICE_MODE, adviceItem, isLegacyAdvice, upgradeLegacyAdvice } from './advice.ts';
import { canPack, PACKED_GROUP, PackedItem, packSnapshots } from './packed-item.ts';

/** One script call: what the pipeline sends for one batch or control record. */
export interface Item {
  readonly keys: readonly string[];
  readonly argv: readonly string[];
  /** Rough size of the strings, bytes (for the queue bound). */
  readonly bytes: number;
}

/** Key and channel names under a prefix (README.md, "Keys"). */
export function keyNames(prefix: string, rig: string) {
  return {
    last: `${prefix}:last:${rig}`,
    /** Version (`<ts>:<n>`) of `last` when several states of the same ts were written. */
    lastVersion: `${prefix}:last-version:${rig}`,
    score: `${prefix}:score:${rig}`,
    snapshots: `${prefix}:snapshots:${rig}`,
    events: `${prefix}:events:${rig}`,
    /** Hash: advice episode id → its newest active record. */
    advice: `${prefix}:advice:${rig}`,
    /** Version (`<ts>` / `<ts>:<n>`) of the rig's newest advice record applied. */
    adviceVersion: `${prefix}:advice-version:${rig}`,
    /** Hash: advice episode id → expiry of its newest active record, epoch ms. */
    adviceExpiry: `${prefix}:advice-expiry:${rig}`,
    actions: `${prefix}:actions:${rig}`,
  };
}

/**
 * Stream ids per stream: `<ms>-<seq>` with ms = the batch's tick time. They only grow: an entry at or
 * below the last id handed out gets the last ms and the next seq. The same batches in the same order
 * get the same ids, so a resent entry is refused by the server as "equal or smaller" and skipped.
 * Also the versions of set-if-newer values (`version`), by the same rule.
 */
export class StreamIds {
  readonly #last = new Map<string, { ms: number; seq: number }>();
  readonly #versions = new Map<string, { ts: number; n: number }>();

  /**
   * Version of a value of time `ts` (epoch ms) under `key`: `<ts>` for the first value of that ts,
   * `<ts>:<n>` for the n-th later one (a rig read by several sources publishes several states of one
   * ts per tick; the last is the fullest). An older ts gets `<ts>`, which the script never prefers.
   */
  version(key: string, ts: number): string {
    const last = this.#versions.get(key);
    if (last !== undefined && ts === last.ts) {
      last.n += 1;
      return `${ts}:${last.n}`;
    }
    if (last === undefined || ts > last.ts) this.#versions.set(key, { ts, n: 0 });
    return String(ts);
  }

  next(stream: string, ms: number): string {
    const id = this.nextRun(stream, ms, 1);
    return `${id.ms}-${id.seq}`;
  }

  /**
   * The first of the `count` (≥ 1) ids that `count` calls of `next(stream, ms)` would hand out; the
   * others follow it by seq: `<ms>-<seq + 1>`, … (what a packed group of entries needs).
   */
  nextRun(stream: string, ms: number, count: number): { readonly ms: number; readonly seq: number } {
    const t = Math.max(0, Math.floor(ms));
    const last = this.#last.get(stream);
    const first = last === undefined || t > last.ms ? { ms: t, seq: 0 } : { ms: last.ms, seq: last.seq + 1 };
    this.#last.set(stream, { ms: first.ms, seq: first.seq + count - 1 });
    return first;
  }
}

/**
 * RigState JSON with `ts` first: the script compares it without parsing the whole value. Equal to
 * JSON.stringify of that object; each device's tick text is shared with the other sinks (jsonOf).
 */
export function stateJson(state: RigState): string {
  const devices = state.devices;
  let json = `{"ts":${JSON.stringify(state.ts)},"schema":${JSON.stringify(state.schema)}`;
  json += `,"rig":${JSON.stringify(state.rig)},"devices":[`;
  // Concatenated, not joined: no array per state, and the text is copied once (when it is sent).
  for (let i = 0; i < devices.length; i++) json += i === 0 ? jsonOf(devices[i]) : `,${jsonOf(devices[i])}`;
  return `${json}]}`;
}

/** ControlRecord JSON with `ts` first. */
export function controlJson(record: ControlRecord): string {
  return JSON.stringify({ ts: record.ts, kind: record.kind, rig: record.rig, payload: record.payload });
}

/** A set-if-newer value: its key, the key of its version, and its version from `StreamIds.version`. */
interface ValueSpec {
  readonly key: string;
  readonly versionKey: string;
  readonly version: string;
}

/**
 * Arguments: ARGV[1] '0' (no value), '1' (value key KEYS[1]; older spool lines) or '2' (value key
 * KEYS[1], its version key last in KEYS), ARGV[2] the version, then value, channel, maxlen, entries.
 */
class Builder {
  readonly keys: string[] = [];
  readonly argv: string[];
  readonly #versionKey: string | null;
  bytes = 0;
  #packed = false;

  constructor(value: ValueSpec | null, json: string, channel: string, maxLen: number) {
    this.argv = [value === null ? '0' : '2', value?.version ?? '0', json, channel, String(maxLen)];
    if (value !== null) this.keys.push(value.key);
    this.#versionKey = value?.versionKey ?? null;
    this.bytes = json.length + 64;
  }

  /** Appends one XADD: stream key, id, channel to publish `payload` on ('' = none), field pairs. */
  entry(stream: string, id: string, channel: string, payload: string, fields: readonly string[]): void {
    this.argv.push(this.#keyIndex(stream), id, channel, payload, String(fields.length / 2), ...fields);
    this.bytes += payload.length + 48;
    for (const f of fields) this.bytes += f.length;
  }

  /** Appends one entry per snapshot (fields ts, device, snapshot; ids from `ids` at `ms`). */
  snapshots(stream: string, ms: number, snapshots: readonly Snapshot[], ids: StreamIds): void {
    for (const s of snapshots) {
      const fields = ['ts', String(s.ts), 'device', s.device, 'snapshot', JSON.stringify(s)];
      this.entry(stream, ids.next(stream, ms), '', '', fields);
    }
  }

  /** As `snapshots`, packed into one argument (packed-item.ts; only where canPack). */
  packedSnapshots(stream: string, ms: number, snapshots: readonly Snapshot[], ids: StreamIds): void {
    const { text, bytes } = packSnapshots(snapshots);
    const first = ids.nextRun(stream, ms, snapshots.length);
    this.argv.push(PACKED_GROUP, this.#keyIndex(stream), String(first.ms), String(first.seq), text);
    this.bytes += bytes;
    this.#packed = true;
  }

  build(): Item {
    const keys = this.#versionKey === null ? this.keys : [...this.keys, this.#versionKey];
    if (this.#packed) return new PackedItem(keys, this.argv, this.bytes);
    return { keys, argv: this.argv, bytes: this.bytes };
  }

  /** KEYS index (from 1, as text) of `stream`, added when new. */
  #keyIndex(stream: string): string {
    let k = this.keys.indexOf(stream);
    if (k < 0) k = this.keys.push(stream) - 1;
    return String(k + 1);
  }
}

/**
 * A tick batch: set-if-newer of `last` (published on `score` when set), one snapshot entry per
 * snapshot and one event entry per event, ids from `ids` at the batch's tick time. Snapshot entries
 * travel packed (packed-item.ts) unless a ts or device would not fit a line (canPack).
 */
export function encodeBatch(batch: RigTickBatch, prefix: string, maxLen: number, ids: StreamIds): Item {
  const k = keyNames(prefix, batch.rig);
  const last = { key: k.last, versionKey: k.lastVersion, version: ids.version(k.last, batch.state.ts) };
  const b = new Builder(last, stateJson(batch.state), k.score, maxLen);
  if (canPack(batch.snapshots)) b.packedSnapshots(k.snapshots, batch.ts, batch.snapshots, ids);
  else b.snapshots(k.snapshots, batch.ts, batch.snapshots, ids);
  for (const e of batch.events) {
    const id = ids.next(k.events, batch.ts);
    const fields = [
      'ts',
      String(e.ts_detected),
      'device',
      e.device,
      'class',
      e.class,
      'event',
      JSON.stringify(e),
    ];
    b.entry(k.events, id, '', '', fields);
  }
  return b.build();
}

/**
 * Advice: applied to the rig's active advice hash in version order, once (advice.ts), and published on
 * the channel of the same name. Action: one entry on the `actions` stream, published when added.
 */
export function encodeControl(record: ControlRecord, prefix: string, maxLen: number, ids: StreamIds): Item {
  const k = keyNames(prefix, record.rig);
  const json = controlJson(record);
  if (record.kind === 'advice') {
    const version = ids.version(k.advice, record.ts);
    const keys = { advice: k.advice, version: k.adviceVersion, expiry: k.adviceExpiry };
    return adviceItem(keys, version, json, record.payload, record.ts);
  }
  const b = new Builder(null, '', '', maxLen);
  b.entry(k.actions, ids.next(k.actions, record.ts), k.actions, json, [
    'ts',
    String(record.ts),
    'kind',
    record.kind,
    'record',
    json,
  ]);
  return b.build();
}

const SPOOL_VERSION = 1;

/** The spool line of an item: `[1, keys, argv]`. */
export function toSpoolLine(item: Item): string {
  return JSON.stringify([SPOOL_VERSION, item.keys, item.argv]);
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * The item of a spool line, or null when the line is not one this version can replay. Advice lines of
 * the earlier layout (one set-if-newer string) become advice items with the same version.
 */
export function fromSpoolLine(line: string): Item | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== SPOOL_VERSION) return null;
  const [, keys, argv] = parsed;
  if (!isStrings(keys) || !isStrings(argv) || argv.length < 5) return null;
  if (isLegacyAdvice(keys, argv)) return upgradeLegacyAdvice(keys, argv);
  return { keys, argv, bytes: line.length };
}

/** Stream entries an item adds (for counters). */
export function entryCount(item: Item): number {
  if (item.argv[0] === ADVICE_MODE) return 0;
  let n = 0;
  for (let i = 5; i < item.argv.length; i += 5 + 2 * Number(item.argv[i + 4])) n += 1;
  return n;
}
