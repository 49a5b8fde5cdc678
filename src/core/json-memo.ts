// JSON text of immutable result objects (score ticks, events), computed once per object: several sinks
// write the same tick each tick (Valkey's rig state, the audit log, the API stream), so it is encoded once.

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
