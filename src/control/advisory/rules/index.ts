// The advisory rule set: device rules (one verdict per device and tick) and rig rules (one verdict per
// rig and tick), each named after the advice kind it raises and switched by its config entry.

import type { AdvisoryOptions } from '../options.ts';
import type { AdviceKind, DeviceView, Finding, FindingGist } from '../types.ts';
import {
  checkPowerSupply,
  checkPowerSupplyGist,
  checkPowerSupplyState,
  lowerCoreClock,
  lowerCoreClockGist,
  lowerCoreClockState,
} from './clock.ts';
import type { Band } from './common.ts';
import {
  checkFan,
  checkFanState,
  criticalGist,
  deviceStale,
  deviceStaleState,
  inspectDevice,
  inspectDeviceGist,
  inspectDeviceState,
  inspectHashboard,
  inspectHashboardGist,
  inspectHashboardState,
} from './hardware.ts';
import { checkPool, checkPoolGist, checkPoolState } from './pool.ts';
import {
  lowerPowerLimit,
  lowerPowerLimitGist,
  lowerPowerLimitState,
  raiseFan,
  raiseFanGist,
  raiseFanState,
} from './thermal.ts';

/** A rule over one device: null when it does not apply to that device (e.g. no fan reading). */
export type DeviceRule = (view: DeviceView, o: AdvisoryOptions) => Finding | null;
/** A rule over a whole rig's devices at one tick. */
export type RigRule = (rig: string, views: readonly DeviceView[], o: AdvisoryOptions) => Finding | null;

/**
 * A rule split for the engine's hot path: `state` returns exactly `rule(...)?.state ?? null` and
 * `gist` (called only where `state` is not null) exactly its severity and delta, without building
 * the finding's reason text and evidence; the engine builds the whole finding only when it is raised,
 * updated or cleared.
 */
export interface RuleEntry<A extends unknown[]> {
  readonly kind: AdviceKind;
  readonly rule: (...args: A) => Finding | null;
  readonly state: (...args: A) => Band | null;
  readonly gist: (...args: A) => FindingGist;
}
export type DeviceRuleEntry = RuleEntry<[view: DeviceView, o: AdvisoryOptions]>;
export type RigRuleEntry = RuleEntry<[rig: string, views: readonly DeviceView[], o: AdvisoryOptions]>;

/** Device rules in evaluation order (the order advice of one tick is emitted in). */
export const DEVICE_RULE_SET: readonly DeviceRuleEntry[] = [
  { kind: 'device_stale', rule: deviceStale, state: deviceStaleState, gist: criticalGist },
  { kind: 'check_fan', rule: checkFan, state: checkFanState, gist: criticalGist },
  { kind: 'raise_fan', rule: raiseFan, state: raiseFanState, gist: raiseFanGist },
  {
    kind: 'lower_power_limit',
    rule: lowerPowerLimit,
    state: lowerPowerLimitState,
    gist: lowerPowerLimitGist,
  },
  { kind: 'lower_core_clock', rule: lowerCoreClock, state: lowerCoreClockState, gist: lowerCoreClockGist },
  {
    kind: 'check_power_supply',
    rule: checkPowerSupply,
    state: checkPowerSupplyState,
    gist: checkPowerSupplyGist,
  },
  {
    kind: 'inspect_hashboard',
    rule: inspectHashboard,
    state: inspectHashboardState,
    gist: inspectHashboardGist,
  },
  { kind: 'inspect_device', rule: inspectDevice, state: inspectDeviceState, gist: inspectDeviceGist },
];

export const RIG_RULE_SET: readonly RigRuleEntry[] = [
  { kind: 'check_pool', rule: checkPool, state: checkPoolState, gist: checkPoolGist },
];

/** Device rules in evaluation order, as [kind, rule]. */
export const DEVICE_RULES: readonly (readonly [AdviceKind, DeviceRule])[] = DEVICE_RULE_SET.map(
  (e) => [e.kind, e.rule] as const,
);

export const RIG_RULES: readonly (readonly [AdviceKind, RigRule])[] = RIG_RULE_SET.map(
  (e) => [e.kind, e.rule] as const,
);

/** Whether the rule raising `kind` is switched on in `o`. */
export function isRuleEnabled(kind: AdviceKind, o: AdvisoryOptions): boolean {
  return o.enabled && o.rules[kind].enabled;
}

export { checkPowerSupply, lowerCoreClock } from './clock.ts';
export {
  checkFan,
  deviceStale,
  hasNoReadings,
  inspectDevice,
  inspectHashboard,
  staleFromFreshness,
} from './hardware.ts';
export { checkPool } from './pool.ts';
export { lowerPowerLimit, powerCutW, raiseFan } from './thermal.ts';
