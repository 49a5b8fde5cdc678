// Active advice as the API shows it: the newest record of each advice episode not yet cleared, from
// the runtime's index when it has one, else folded from a rig's (bounded) control-record history.

import type { ControlRecord } from '../core/sink.ts';
import type { ApiDeps } from './types.ts';

/**
 * The advice records of `records` still active: per episode (records sharing a string `payload.id`)
 * the newest, unless its `payload.state` is `cleared`; in the order the episodes first appear.
 * Advice without an id is not an episode and is left out, as the embedded store does.
 */
export function foldActiveAdvice(records: readonly ControlRecord[]): ControlRecord[] {
  const active = new Map<string, ControlRecord>();
  for (const r of records) {
    const id = r.payload.id;
    if (r.kind !== 'advice' || typeof id !== 'string') continue;
    if (r.payload.state === 'cleared') active.delete(id);
    else active.set(id, r);
  }
  return [...active.values()];
}

/** Active advice of `rig` through `deps.advice`, or folded from `deps.state.control(rig)`. */
export function activeAdvice(deps: ApiDeps, rig: string): readonly ControlRecord[] {
  return deps.advice !== undefined ? deps.advice(rig) : foldActiveAdvice(deps.state.control(rig));
}
