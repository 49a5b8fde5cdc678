// Reads the stream replies node-redis hands back in either protocol: RESP3 maps arrive as plain objects
// (or Maps), RESP2 as flat arrays; the workers accept both so a server or client default never matters.

/** A raw stream entry: id and flat field list. */
export type RawEntry = readonly [string, readonly unknown[]];

/** The `[id, fields]` pairs of an entry list (XRANGE, XAUTOCLAIM's second element). */
export function entriesOf(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.filter(
    (e) => Array.isArray(e) && typeof e[0] === 'string' && Array.isArray(e[1]),
  ) as RawEntry[];
}

/** A map reply as key → value: a Map, a plain object, or a flat `[k, v, k, v…]` array. */
export function mapOf(reply: unknown): Map<string, unknown> {
  if (reply instanceof Map) return new Map([...reply].map(([k, v]) => [String(k), v]));
  if (Array.isArray(reply)) {
    const m = new Map<string, unknown>();
    for (let i = 0; i + 1 < reply.length; i += 2) m.set(String(reply[i]), reply[i + 1]);
    return m;
  }
  if (typeof reply === 'object' && reply !== null) return new Map(Object.entries(reply));
  return new Map();
}

/** Entries of stream `key` in an XREAD/XREADGROUP reply (RESP3 map or RESP2 `[[key, entries]]`). */
export function readEntries(reply: unknown, key: string): RawEntry[] {
  if (reply === null || reply === undefined) return [];
  if (Array.isArray(reply)) {
    for (const s of reply) if (Array.isArray(s) && s[0] === key) return entriesOf(s[1]);
    return [];
  }
  return entriesOf(mapOf(reply).get(key));
}

/** The fields of consumer group `group` in an XINFO GROUPS reply, or null when it is not there. */
export function groupInfo(reply: unknown, group: string): Map<string, unknown> | null {
  for (const g of Array.isArray(reply) ? reply : []) {
    const info = mapOf(g);
    if (info.get('name') === group) return info;
  }
  return null;
}
