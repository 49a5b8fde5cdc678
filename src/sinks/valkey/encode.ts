// Batches and control records → script calls (keys + arguments), with stream ids that make a resend a
// no-op; and the spool line format. Pure: README.md lists the keys, fields and ids this produces.

import type { ControlRecord, RigState, RigTickBatch } from '../../core/sink.ts';

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
    score: `${prefix}:score:${rig}`,
    snapshots: `${prefix}:snapshots:${rig}`,
    events: `${prefix}:events:${rig}`,
    advice: `${prefix}:advice:${rig}`,
    actions: `${prefix}:actions:${rig}`,
  };
}

/**
 * Stream ids per stream: `<ms>-<seq>` with ms = the batch's tick time. They only grow: an entry at or
 * below the last id handed out gets the last ms and the next seq. The same batches in the same order
 * get the same ids, so a resent entry is refused by the server as "equal or smaller" and skipped.
 */
export class StreamIds {
  readonly #last = new Map<string, { ms: number; seq: number }>();

  next(stream: string, ms: number): string {
    const t = Math.max(0, Math.floor(ms));
    const last = this.#last.get(stream);
    let id: { ms: number; seq: number };
    if (last === undefined || t > last.ms) id = { ms: t, seq: 0 };
    else id = { ms: last.ms, seq: last.seq + 1 };
    this.#last.set(stream, id);
    return `${id.ms}-${id.seq}`;
  }
}

/** RigState JSON with `ts` first: the script compares it without parsing the whole value. */
export function stateJson(state: RigState): string {
  return JSON.stringify({ ts: state.ts, schema: state.schema, rig: state.rig, devices: state.devices });
}

/** ControlRecord JSON with `ts` first. */
export function controlJson(record: ControlRecord): string {
  return JSON.stringify({ ts: record.ts, kind: record.kind, rig: record.rig, payload: record.payload });
}

class Builder {
  readonly keys: string[] = [];
  readonly argv: string[];
  bytes = 0;

  constructor(valueKey: string | null, ts: number, value: string, channel: string, maxLen: number) {
    this.argv = [valueKey === null ? '0' : '1', String(ts), value, channel, String(maxLen)];
    if (valueKey !== null) this.keys.push(valueKey);
    this.bytes = value.length + 64;
  }

  /** Appends one XADD: stream key, id, channel to publish `payload` on ('' = none), field pairs. */
  entry(stream: string, id: string, channel: string, payload: string, fields: readonly string[]): void {
    let k = this.keys.indexOf(stream);
    if (k < 0) k = this.keys.push(stream) - 1;
    this.argv.push(String(k + 1), id, channel, payload, String(fields.length / 2), ...fields);
    this.bytes += payload.length + 48;
    for (const f of fields) this.bytes += f.length;
  }

  build(): Item {
    return { keys: this.keys, argv: this.argv, bytes: this.bytes };
  }
}

/**
 * A tick batch: set-if-newer of `last` (published on `score` when set), one snapshot entry per
 * snapshot and one event entry per event, ids from `ids` at the batch's tick time.
 */
export function encodeBatch(batch: RigTickBatch, prefix: string, maxLen: number, ids: StreamIds): Item {
  const k = keyNames(prefix, batch.rig);
  const b = new Builder(k.last, batch.state.ts, stateJson(batch.state), k.score, maxLen);
  for (const s of batch.snapshots) {
    const id = ids.next(k.snapshots, batch.ts);
    b.entry(k.snapshots, id, '', '', ['ts', String(s.ts), 'device', s.device, 'snapshot', JSON.stringify(s)]);
  }
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
 * Advice: set-if-newer of `advice` (published on the same name when set). Action: one entry on the
 * `actions` stream, published on the same name when added.
 */
export function encodeControl(record: ControlRecord, prefix: string, maxLen: number, ids: StreamIds): Item {
  const k = keyNames(prefix, record.rig);
  const json = controlJson(record);
  if (record.kind === 'advice') return new Builder(k.advice, record.ts, json, k.advice, maxLen).build();
  const b = new Builder(null, record.ts, '', '', maxLen);
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

/** The item of a spool line, or null when the line is not one this version wrote. */
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
  return { keys, argv, bytes: line.length };
}

/** Stream entries an item adds (for counters). */
export function entryCount(item: Item): number {
  let n = 0;
  for (let i = 5; i < item.argv.length; i += 5 + 2 * Number(item.argv[i + 4])) n += 1;
  return n;
}
