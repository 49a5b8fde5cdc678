// The server-side half of an append: one Lua script per partition and send that adds only entries whose
// collector sequence is above the partition's high-water mark for that collector (a resend is a no-op).

import { createHash } from 'node:crypto';

/** A Lua script and its SHA1 (EVALSHA first, EVAL when the server does not know it). */
export interface LuaScript {
  readonly text: string;
  readonly sha1: string;
}

/** A script with its SHA1 computed. */
export function luaScript(text: string): LuaScript {
  return { text, sha1: createHash('sha1').update(text).digest('hex') };
}

/**
 * KEYS[1] the partition stream, KEYS[2] its collector-seq hash (same slot, tag `{p}`).
 * ARGV[1] collector id, ARGV[2] MAXLEN ~ bound, then per entry: seq, field-pair count, fields….
 * Entries must come in increasing seq. Returns {added, skipped (seq at or below the mark)}.
 * Numbers go through string.format('%.0f'): Lua's tostring would print 1.7e+15.
 */
export const APPEND_SCRIPT = luaScript(`
local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '-1')
local added, skipped, i = 0, 0, 3
while i <= #ARGV do
  local seq = tonumber(ARGV[i])
  local n = tonumber(ARGV[i + 1])
  if seq > held then
    local args = {'XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*'}
    for j = 1, 2 * n do args[6 + j] = ARGV[i + 1 + j] end
    redis.call(unpack(args))
    held = seq
    added = added + 1
  else
    skipped = skipped + 1
  end
  i = i + 2 + 2 * n
end
if added > 0 then redis.call('HSET', KEYS[2], ARGV[1], string.format('%.0f', held)) end
return {added, skipped}
`);

/** Parses the append script's reply; null when it is not `{added, skipped}`. */
export function parseAppendReply(reply: unknown): { added: number; skipped: number } | null {
  if (!Array.isArray(reply) || reply.length !== 2) return null;
  const [added, skipped] = reply;
  if (typeof added !== 'number' || typeof skipped !== 'number') return null;
  return { added, skipped };
}
