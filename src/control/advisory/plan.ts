// What the engine derives once per options object (tracker parameters, the enabled rules) and the
// batch helpers of its hot path, so a device tick re-reads no options and builds no Map.

import type { ScoreTick } from '../../core/scores.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import type { AdvisoryOptions } from './options.ts';
import {
  DEVICE_RULE_SET,
  type DeviceRuleEntry,
  isRuleEnabled,
  RIG_RULE_SET,
  type RigRuleEntry,
} from './rules/index.ts';
import { kindBit, type TrackerParams } from './tracker.ts';

/** What observe needs of a rig's options. */
export interface Plan {
  readonly params: TrackerParams;
  /** Parameters for the ingest's freshness reports, which act at once (the ingest already waited). */
  readonly eventParams: TrackerParams;
  /** The hardware-error rate's window, ms. */
  readonly hwWindowMs: number;
  /** Enabled rules in evaluation order, with their kindBit. */
  readonly deviceRules: ReadonlyArray<{ readonly entry: DeviceRuleEntry; readonly bit: number }>;
  readonly rigRules: ReadonlyArray<{ readonly entry: RigRuleEntry; readonly bit: number }>;
}

const PLANS = new WeakMap<AdvisoryOptions, Plan>();

/** The plan of `o`, derived on first use; options objects are never changed in place. */
export function planOf(o: AdvisoryOptions): Plan {
  let plan = PLANS.get(o);
  if (plan === undefined) {
    const params = { persistTicks: o.persist_ticks, clearTicks: o.clear_ticks, ttlMs: o.ttl_ms };
    plan = {
      params,
      eventParams: { ...params, persistTicks: 1, clearTicks: 1 },
      hwWindowMs: 1000 * o.rules.lower_core_clock.hw_window_s,
      deviceRules: DEVICE_RULE_SET.filter((e) => isRuleEnabled(e.kind, o)).map((entry) => ({
        entry,
        bit: kindBit(entry.kind),
      })),
      rigRules: RIG_RULE_SET.filter((e) => isRuleEnabled(e.kind, o)).map((entry) => ({
        entry,
        bit: kindBit(entry.kind),
      })),
    };
    PLANS.set(o, plan);
  }
  return plan;
}

/** Same length, and the same device at every index. */
export function isAligned(snapshots: readonly Snapshot[], scores: readonly ScoreTick[]): boolean {
  if (snapshots.length !== scores.length) return false;
  for (let i = 0; i < scores.length; i++) if (snapshots[i].device !== scores[i].device) return false;
  return true;
}

/** The last snapshot of each device. */
export function byDevice(snapshots: readonly Snapshot[]): Map<string, Snapshot> {
  const out = new Map<string, Snapshot>();
  for (const s of snapshots) out.set(s.device, s);
  return out;
}
