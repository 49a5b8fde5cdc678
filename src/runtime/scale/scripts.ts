// The workers' server-side pieces: compare-and-renew / compare-and-release of a partition lease, the
// membership heartbeat on the server's clock, and set-if-newer of a rig's latest state (one key each).

import { APPLY_SCRIPT } from '../../sinks/valkey/index.ts';
import { luaScript } from '../../sinks/valkey-streams/index.ts';

/** KEYS[1] lease, ARGV[1] instance, ARGV[2] ttl ms. 1 = renewed, 0 = not ours any more. */
export const RENEW_SCRIPT = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

/** KEYS[1] lease, ARGV[1] instance. 1 = released, 0 = not ours. */
export const RELEASE_SCRIPT = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * KEYS[1] the workers sorted set, ARGV[1] instance, ARGV[2] ttl ms, ARGV[3] '1' join/renew, '0' leave.
 * Scores are expiry times on the server's clock (TIME), so workers' clocks need not agree. Drops the
 * expired, then returns the live instances.
 */
export const HEARTBEAT_SCRIPT = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now))
if ARGV[3] == '1' then
  redis.call('ZADD', KEYS[1], string.format('%.0f', now + tonumber(ARGV[2])), ARGV[1])
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return redis.call('ZRANGE', KEYS[1], 0, -1)
`);

/**
 * KEYS[1] `telemetry:last:{rig}`, ARGV[1] the state's ts, ARGV[2] its JSON (starting `{"ts":`),
 * ARGV[3] channel to publish it on ('' = none). Stores (and publishes) the state unless the held one
 * is newer, or of the same ts and identical: a device's latest state never goes back in time, and
 * processing an entry again after a takeover publishes nothing new. 1 = stored, 0 = not.
 */
export const LAST_SCRIPT = luaScript(`
local cur = redis.call('GET', KEYS[1])
if cur then
  local curTs = tonumber(string.match(cur, '^{"ts":([^,}]+)'))
  local ts = tonumber(ARGV[1])
  if curTs ~= nil and (ts < curTs or (ts == curTs and cur == ARGV[2])) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2])
if ARGV[3] ~= '' then redis.call('PUBLISH', ARGV[3], ARGV[2]) end
return 1
`);

/**
 * The Valkey sink's apply script, run in its advice mode (ARGV[1] '3') on one rig's three advice keys
 * (`adviceKeysOf`: one slot): the same code writes `telemetry:advice:{rig}` in both layouts.
 */
export const ADVICE_SCRIPT = luaScript(APPLY_SCRIPT);
