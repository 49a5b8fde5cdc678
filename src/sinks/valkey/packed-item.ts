// A batch's script call whose snapshot entries travel packed in one argument (the script expands them
// into the same XADDs): per snapshot one line of text on the wire instead of eleven RESP arguments.

import type { Snapshot } from '../../core/snapshot.ts';
import type { Item } from './encode.ts';

/**
 * Marks a packed group of snapshot entries where a plain entry has its key index. The group is
 * `'*', key index, id ms, first id seq, text`: the text holds `<ts>\n<device>\n<snapshot JSON>\n` per
 * entry, ids `<ms>-<seq>`, `<ms>-<seq + 1>`, …; the fields are `ts`, `device`, `snapshot`, unpublished.
 */
export const PACKED_GROUP = '*';

/** Fields of a packed group's entries, in the order the text holds their values. */
const FIELDS = ['ts', 'device', 'snapshot'] as const;

/** True when every snapshot's ts and device fit a line of a packed group (a number; no line break). */
export function canPack(snapshots: readonly Snapshot[]): boolean {
  for (const s of snapshots)
    if (typeof s.ts !== 'number' || typeof s.device !== 'string' || s.device.includes('\n')) return false;
  return snapshots.length > 0;
}

/**
 * The text of a packed group of `snapshots` (canPack); `bytes` is what the same entries count as plain
 * ones (Item.bytes), so the queue bound is the same either way.
 */
export function packSnapshots(snapshots: readonly Snapshot[]): { text: string; bytes: number } {
  let text = '';
  let bytes = 0;
  for (const s of snapshots) {
    const ts = String(s.ts);
    const json = JSON.stringify(s);
    text += `${ts}\n${s.device}\n${json}\n`;
    bytes += 64 + ts.length + s.device.length + json.length;
  }
  return { text, bytes };
}

/**
 * An item whose wire arguments (`wireArgs`) hold packed groups; `argv` is the same call in the plain
 * layout (one entry after another, as spool lines have it), built when first read.
 */
export class PackedItem implements Item {
  readonly keys: readonly string[];
  readonly bytes: number;
  readonly #wire: readonly string[];
  #argv: readonly string[] | null = null;

  constructor(keys: readonly string[], wire: readonly string[], bytes: number) {
    this.keys = keys;
    this.#wire = wire;
    this.bytes = bytes;
  }

  get argv(): readonly string[] {
    this.#argv ??= unpackArgs(this.#wire);
    return this.#argv;
  }

  /** The arguments to send for `item`: its packed form when it has one, else its argv. */
  static wireArgs(item: Item): readonly string[] {
    return #wire in item ? item.#wire : item.argv;
  }
}

/** The plain layout of wire arguments: each packed group expanded into its entries. */
export function unpackArgs(wire: readonly string[]): string[] {
  const out = wire.slice(0, 5);
  let i = 5;
  while (i < wire.length) {
    if (wire[i] !== PACKED_GROUP) {
      const end = i + 5 + 2 * Number(wire[i + 4]);
      for (; i < end; i++) out.push(wire[i]);
      continue;
    }
    const [key, ms, seq, text] = wire.slice(i + 1, i + 5);
    const lines = text.split('\n');
    for (let e = 0; e + 3 < lines.length; e += 3) {
      out.push(key, `${ms}-${Number(seq) + e / 3}`, '', '', String(FIELDS.length));
      for (let f = 0; f < FIELDS.length; f++) out.push(FIELDS[f], lines[e + f]);
    }
    i += 5;
  }
  return out;
}
