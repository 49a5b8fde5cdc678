// The advisory rule set: device rules (one verdict per device and tick) and rig rules (one verdict per
// rig and tick), each named after the advice kind it raises and switched by its config entry.

import type { AdvisoryOptions } from '../options.ts';
import type { AdviceKind, DeviceView, Finding } from '../types.ts';
import { checkPowerSupply, lowerCoreClock } from './clock.ts';
import { checkFan, deviceStale, inspectDevice, inspectHashboard } from './hardware.ts';
import { checkPool } from './pool.ts';
import { lowerPowerLimit, raiseFan } from './thermal.ts';

/** A rule over one device: null when it does not apply to that device (e.g. no fan reading). */
export type DeviceRule = (view: DeviceView, o: AdvisoryOptions) => Finding | null;
/** A rule over a whole rig's devices at one tick. */
export type RigRule = (rig: string, views: readonly DeviceView[], o: AdvisoryOptions) => Finding | null;

/** Device rules in evaluation order (the order advice of one tick is emitted in). */
export const DEVICE_RULES: readonly (readonly [AdviceKind, DeviceRule])[] = [
  ['device_stale', deviceStale],
  ['check_fan', checkFan],
  ['raise_fan', raiseFan],
  ['lower_power_limit', lowerPowerLimit],
  ['lower_core_clock', lowerCoreClock],
  ['check_power_supply', checkPowerSupply],
  ['inspect_hashboard', inspectHashboard],
  ['inspect_device', inspectDevice],
];

export const RIG_RULES: readonly (readonly [AdviceKind, RigRule])[] = [['check_pool', checkPool]];

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
