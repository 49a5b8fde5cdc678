// Advice records → the rig's active advice set: a hash of episode id → newest active record, applied
// once and in order by the apply script's advice branch (ADVICE_LUA); older spool lines are converted.

import type { Item } from './encode.ts';

/** ARGV[1] of an advice item. */
export const ADVICE_MODE = '3';

/** One rig's advice keys, in the KEYS order of an advice item. */
export interface AdviceKeys {
  /** Hash: episode id (`payload.id`) → the newest active record's JSON. */
  readonly advice: string;
  /** String: `<ts>` or `<ts>:<n>`, version of the newest advice record applied for the rig. */
  readonly version: string;
  /** Hash: episode id → when its newest active record expires (`ts + payload.ttl_ms`, epoch ms). */
  readonly expiry: string;
}

type Payload = Readonly<Record<string, unknown>>;

/**
 * The script call for one advice record (`json` = controlJson of it, `version` from StreamIds.version
 * under the advice key). ARGV: '3', version, json, channel, maxlen (unused), id ('' when the payload
 * has no string `id`: published only), state ('cleared' or 'active'), expiry ms ('' when no ttl).
 */
export function adviceItem(
  keys: AdviceKeys,
  version: string,
  json: string,
  payload: Payload,
  ts: number,
): Item {
  const id = typeof payload.id === 'string' ? payload.id : '';
  const state = payload.state === 'cleared' ? 'cleared' : 'active';
  const ttl = payload.ttl_ms;
  const expiry =
    typeof ttl === 'number' && Number.isFinite(ttl) && Number.isFinite(ts) ? String(ts + ttl) : '';
  const argv = [ADVICE_MODE, version, json, keys.advice, '0', id, state, expiry];
  return { keys: [keys.advice, keys.version, keys.expiry], argv, bytes: json.length + id.length + 96 };
}

/** The advice keys of a record, from the advice key name `<prefix>:advice:<rig>` (prefixes hold no ':'). */
function keysOf(adviceKey: string): AdviceKeys | null {
  const at = adviceKey.indexOf(':advice:');
  if (at < 0) return null;
  const name = (kind: string) => `${adviceKey.slice(0, at)}:${kind}:${adviceKey.slice(at + 8)}`;
  return { advice: adviceKey, version: name('advice-version'), expiry: name('advice-expiry') };
}

/**
 * True for a spool line of an earlier version that wrote advice as one set-if-newer string: mode '2'
 * (keys advice, advice-version) or '1' (key advice), no entries, published on the advice key itself.
 */
export function isLegacyAdvice(keys: readonly string[], argv: readonly string[]): boolean {
  if (argv.length !== 5 || keys.length === 0 || argv[3] !== keys[0]) return false;
  const k = keysOf(keys[0]);
  if (k === null) return false;
  if (argv[0] === '1') return keys.length === 1;
  return argv[0] === '2' && keys.length === 2 && keys[1] === k.version;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A legacy advice line (isLegacyAdvice) as an advice item with the same version; null when unreadable. */
export function upgradeLegacyAdvice(keys: readonly string[], argv: readonly string[]): Item | null {
  const k = keysOf(keys[0]);
  let record: unknown;
  try {
    record = JSON.parse(argv[2]);
  } catch {
    return null;
  }
  if (k === null || !isObject(record) || typeof record.ts !== 'number' || !isObject(record.payload))
    return null;
  return adviceItem(k, argv[1], argv[2], record.payload, record.ts);
}

/**
 * The apply script's branch for ARGV[1] == '3' (uses its `version`, `failed` and `set`). A record is
 * applied when its version is newer than the rig's (KEYS[2]): greater ts, or equal ts and greater n.
 * Applied: an active record is HSET under its id (a cleared one HDELs it), its expiry noted (KEYS[3]),
 * the rig's version advanced, every episode whose expiry is at or before the record's ts dropped, and
 * the record published. Not applied (a resend, a replay, an older record): nothing changes. A string
 * at KEYS[1] is the earlier layout (the newest record): its version is kept in KEYS[2], then it goes.
 */
export const ADVICE_LUA = `
  local ts, n = version(ARGV[2])
  local t = redis.pcall('TYPE', KEYS[1])
  if type(t) == 'table' and t.ok == 'string' then
    local cur = redis.pcall('GET', KEYS[1])
    local curTs = type(cur) == 'string' and string.match(cur, '^{"ts":([^,}]+)') or nil
    if curTs ~= nil then
      local held, hw = redis.pcall('GET', KEYS[2]), curTs
      if type(held) == 'string' then
        local heldTs, k = version(held)
        if heldTs == tonumber(curTs) and k > 0 then hw = held end
      end
      redis.pcall('SET', KEYS[2], hw)
    end
    redis.pcall('DEL', KEYS[1])
  end
  local held = redis.pcall('GET', KEYS[2])
  local newer = ts ~= nil and not failed(held)
  if newer and type(held) == 'string' then
    local heldTs, heldN = version(held)
    if heldTs ~= nil then newer = ts > heldTs or (ts == heldTs and n > heldN) end
  end
  if newer then
    local id, r = ARGV[6], nil
    if id ~= '' then
      if ARGV[7] == 'cleared' then r = redis.pcall('HDEL', KEYS[1], id)
      else r = redis.pcall('HSET', KEYS[1], id, ARGV[3]) end
    end
    if not failed(r) then
      set = 1
      if id ~= '' then
        if ARGV[7] == 'cleared' or ARGV[8] == '' then redis.pcall('HDEL', KEYS[3], id)
        else redis.pcall('HSET', KEYS[3], id, ARGV[8]) end
      end
      redis.pcall('SET', KEYS[2], ARGV[2])
      local e = redis.pcall('HGETALL', KEYS[3])
      if not failed(e) then
        for j = 1, #e, 2 do
          local at = tonumber(e[j + 1])
          if at ~= nil and at <= ts then
            redis.pcall('HDEL', KEYS[1], e[j])
            redis.pcall('HDEL', KEYS[3], e[j])
          end
        end
      end
      if ARGV[4] ~= '' then redis.pcall('PUBLISH', ARGV[4], ARGV[3]) end
    end
  end
`;
