// The server-side half of a write: one Lua script per batch that sets the latest value only if newer,
// publishes only what it set or added, and skips stream entries the server already has (idempotent).

import { createHash } from 'node:crypto';
import { ADVICE_LUA } from './advice.ts';
import type { Item } from './encode.ts';
import { PackedItem } from './packed-item.ts';

/**
 * ARGV: value mode ('0' none, '1' value key only — spool lines of older versions —, '2' value key and
 * its version key, the last of KEYS; '3' an advice record, no entries: see advice.ts, ADVICE_LUA),
 * version (`<ts>` or `<ts>:<n>`), value JSON (starting `{"ts":`),
 * channel, maxlen, then per entry: key index, id, channel, payload, pair count, field, value, …;
 * or a packed group of snapshot entries: '*', key index, id ms, first id seq, text (packed-item.ts).
 * KEYS: the value key (if any), the streams, the version key (mode '2').
 * A value replaces the held one when its ts is greater, or when the ts is equal and its n is greater
 * than the n the version key holds for that ts (0 when it holds none): several states of one ts arrive
 * in order and the last wins, while a resend of an earlier one (or a repeat of the same state, as the
 * shutdown's last batch is) changes nothing.
 * Returns {value set (0/1), entries added, entries already present, first other error or ''}.
 * Every write uses pcall, so one bad key never hides the rest; a resend changes nothing.
 */
export const APPLY_SCRIPT = `
local set, added, dup, err = 0, 0, 0, ''
local function failed(r)
  if type(r) == 'table' and r.err then
    if err == '' then err = r.err end
    return true
  end
  return false
end
local function version(text)
  local ts, n = string.match(text, '^(.*):(%d+)$')
  if ts == nil then return tonumber(text), 0 end
  return tonumber(ts), tonumber(n)
end
if ARGV[1] == '1' or ARGV[1] == '2' then
  local ts, n = version(ARGV[2])
  local cur = redis.pcall('GET', KEYS[1])
  local curTs = nil
  if type(cur) == 'string' then curTs = tonumber(string.match(cur, '^{"ts":([^,}]+)')) end
  local newer = curTs == nil or (ts ~= nil and ts > curTs)
  if not newer and ARGV[1] == '2' and n > 0 and ts == curTs then
    local held = redis.pcall('GET', KEYS[#KEYS])
    local heldN = 0
    if type(held) == 'string' then
      local heldTs, k = version(held)
      if heldTs == curTs then heldN = k end
    end
    newer = n > heldN and cur ~= ARGV[3]
  end
  if newer then
    if not failed(redis.pcall('SET', KEYS[1], ARGV[3])) then
      set = 1
      if n > 0 then redis.pcall('SET', KEYS[#KEYS], ARGV[2]) end
      if ARGV[4] ~= '' then redis.pcall('PUBLISH', ARGV[4], ARGV[3]) end
    end
  end
elseif ARGV[1] == '3' then${ADVICE_LUA}end
local function add(args, channel, payload)
  local r = redis.pcall(unpack(args))
  if type(r) == 'table' and r.err and string.find(r.err, 'equal or smaller', 1, true) then
    dup = dup + 1
  elseif not failed(r) then
    added = added + 1
    if channel ~= '' then redis.pcall('PUBLISH', channel, payload) end
  end
end
local i = 6
if ARGV[1] == '3' then i = #ARGV + 1 end
while i <= #ARGV do
  if ARGV[i] == '*' then
    local key, ms, seq, text = KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2], tonumber(ARGV[i + 3]), ARGV[i + 4]
    local pos = 1
    while pos <= #text do
      local a = string.find(text, '\\n', pos, true)
      local b = string.find(text, '\\n', a + 1, true)
      local c = string.find(text, '\\n', b + 1, true)
      local id = ms .. '-' .. string.format('%d', seq)
      add({'XADD', key, 'MAXLEN', '~', ARGV[5], id, 'ts', string.sub(text, pos, a - 1),
        'device', string.sub(text, a + 1, b - 1), 'snapshot', string.sub(text, b + 1, c - 1)}, '', '')
      seq = seq + 1
      pos = c + 1
    end
    i = i + 5
  else
    local n = tonumber(ARGV[i + 4])
    local args = {'XADD', KEYS[tonumber(ARGV[i])], 'MAXLEN', '~', ARGV[5], ARGV[i + 1]}
    for j = 1, 2 * n do args[6 + j] = ARGV[i + 4 + j] end
    add(args, ARGV[i + 2], ARGV[i + 3])
    i = i + 5 + 2 * n
  end
end
return {set, added, dup, err}
`;

export const APPLY_SHA1 = createHash('sha1').update(APPLY_SCRIPT).digest('hex');

/** The command for `item`; the first of a pipeline carries the script text (EVAL), later ones its SHA. */
export function commandFor(item: Item, first: boolean): string[] {
  return command(item, item.argv, first);
}

/** As commandFor, with the item's packed arguments where it has them (what the sink sends). */
export function wireCommandFor(item: Item, first: boolean): string[] {
  return command(item, PackedItem.wireArgs(item), first);
}

function command(item: Item, argv: readonly string[], first: boolean): string[] {
  const keys = item.keys;
  const out = new Array<string>(3 + keys.length + argv.length);
  out[0] = first ? 'EVAL' : 'EVALSHA';
  out[1] = first ? APPLY_SCRIPT : APPLY_SHA1;
  out[2] = String(keys.length);
  for (let i = 0; i < keys.length; i++) out[3 + i] = keys[i];
  for (let i = 0; i < argv.length; i++) out[3 + keys.length + i] = argv[i];
  return out;
}

/** What the script reported for one item. */
export interface ApplyResult {
  readonly set: boolean;
  readonly added: number;
  readonly duplicates: number;
  /** The first write error other than a duplicate, or null. */
  readonly error: string | null;
}

/** Parses a script reply; null when it is not one (a server that is not Redis/Valkey?). */
export function parseApplyReply(reply: unknown): ApplyResult | null {
  if (!Array.isArray(reply) || reply.length !== 4) return null;
  const [set, added, dup, err] = reply.map((v) => (typeof v === 'object' && v !== null ? String(v) : v));
  if (typeof set !== 'number' || typeof added !== 'number' || typeof dup !== 'number') return null;
  return {
    set: set === 1,
    added,
    duplicates: dup,
    error: typeof err === 'string' && err !== '' ? err : null,
  };
}

/** Server errors that pass (memory, loading, failover, busy script): retry the item later. */
const TRANSIENT = [
  'OOM',
  'LOADING',
  'BUSY',
  'READONLY',
  'MASTERDOWN',
  'TRYAGAIN',
  'NOREPLICAS',
  'CLUSTERDOWN',
  'NOSCRIPT',
];

/** True when a server error reply is worth retrying (the item is idempotent, so retrying is safe). */
export function isTransientError(message: string): boolean {
  return TRANSIENT.some((p) => message.startsWith(p) || message.startsWith(`-${p}`));
}
