// JSON text of immutable result objects (score ticks, events), computed once per object: several sinks
// write the same tick each tick (Valkey's rig state, the audit log), so it is encoded once.

const memo = new WeakMap<object, string>();

/**
 * `JSON.stringify(value)`, cached for the object's lifetime. Only for objects that are never changed
 * after they are first encoded (ticks and events are readonly once scored).
 */
export function jsonOf(value: object): string {
  let text = memo.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    memo.set(value, text);
  }
  return text;
}

/**
 * `jsonOf(value)`, and the cached text is forgotten: for the last reader of a new object's text (the
 * audit log, which encodes a tick after Valkey has sent it), so ~2 KB of text per device is not kept for
 * as long as the rig state holds the tick. A later `jsonOf` of the object encodes it again (same text).
 */
export function takeJson(value: object): string {
  const text = memo.get(value);
  if (text === undefined) return JSON.stringify(value);
  memo.delete(value);
  return text;
}
