// The sentence of a cleared advice record: why the advice ended (condition gone, ttl reached, rule
// switched off, rig removed), with what it asked and where.

import type { TrackerParams } from './tracker.ts';
import type { AdviceKind, AdvicePayload, ClearCause } from './types.ts';

const TITLES: Readonly<Record<AdviceKind, string>> = {
  lower_power_limit: 'lower the power limit',
  raise_fan: 'raise the fan',
  lower_core_clock: 'lower the core clock',
  check_fan: 'check the fan',
  check_pool: 'check the pool',
  inspect_hashboard: 'inspect the hashboard',
  inspect_device: 'inspect the device',
  check_power_supply: 'check the power supply',
  device_stale: 'check why samples stopped',
};

function where(p: AdvicePayload): string {
  return p.target.device === null ? p.target.rig : `${p.target.rig}/${p.target.device}`;
}

/** The reason of the record that clears `p` for `cause` (params null: not from a verdict). */
export function clearReason(p: AdvicePayload, cause: ClearCause, params: TrackerParams | null): string {
  const title = TITLES[p.kind];
  switch (cause) {
    case 'condition_ended':
      return `Cleared: ${where(p)} no longer needs to ${title} (${params?.clearTicks ?? 1} ticks past the clear threshold).`;
    case 'expired':
      return `Expired: the advice to ${title} on ${where(p)} reached its ${Math.round(p.ttl_ms / 1000)} s lifetime; it is raised again if the condition still holds.`;
    case 'rule_disabled':
      return `Withdrawn: the ${p.kind} rule is switched off for ${p.target.rig}.`;
    case 'rig_removed':
      return `Withdrawn: ${p.target.rig} is no longer observed.`;
  }
}
