// A plain, JSON-ready summary of one rig's controller (mode, kill switch, per-device state, the latest
// refusal per set-point) for the API's GET and for tests.

import type { SetpointKind } from '../../core/actuator.ts';
import type { Refusal } from './planner.ts';
import type { AutotuneMode } from './ports.ts';
import type { RigCore } from './rig-core.ts';

export interface DeviceStatus {
  readonly device: string;
  readonly controllable: boolean;
  /** Set-points as last read back (null = default / automatic). */
  readonly values: Readonly<Partial<Record<SetpointKind, number | null>>>;
  readonly last_known_good: Readonly<Partial<Record<SetpointKind, number | null>>>;
  /** The action under validation, with the end of its watch window (epoch ms). */
  readonly validating: {
    readonly id: string;
    readonly setpoint: SetpointKind;
    readonly from: number | null;
    readonly to: number | null;
    readonly watch_end_ms: number;
  } | null;
  readonly cooldown_until_ms: number | null;
  readonly last_action_ms: number | null;
  readonly pending_rollbacks: number;
  readonly refusals: readonly Refusal[];
}

export interface AutotuneStatus {
  readonly rig: string;
  readonly mode: AutotuneMode;
  readonly kill_switch: boolean;
  readonly journal_ok: boolean;
  readonly strategy: string;
  readonly actions_last_hour: number;
  readonly describe_error: string | null;
  /** The last unexpected failure of a decision pass, null when none. */
  readonly last_error: string | null;
  readonly devices: readonly DeviceStatus[];
}

export function buildStatus(
  core: RigCore,
  refusals: ReadonlyMap<string, Refusal>,
  describeError: string | null,
  lastError: string | null,
): AutotuneStatus {
  const devices: DeviceStatus[] = [];
  for (const name of [...core.devices.keys()].sort()) {
    const d = core.devices.get(name)!;
    const w = d.watch;
    devices.push({
      device: name,
      controllable: d.control !== null,
      values: Object.fromEntries(d.values),
      last_known_good: Object.fromEntries(d.lastKnownGood),
      validating:
        w === null
          ? null
          : {
              id: w.action.id,
              setpoint: w.action.kind,
              from: w.action.from,
              to: w.action.to,
              watch_end_ms: w.postEndMs,
            },
      cooldown_until_ms: d.cooldownUntilMs,
      last_action_ms: d.lastActionMs,
      pending_rollbacks: d.pendingRollbacks.length,
      refusals: [...refusals.entries()].filter(([k]) => k.startsWith(`${name}\u0000`)).map(([, r]) => r),
    });
  }
  return {
    rig: core.rig,
    mode: core.mode,
    kill_switch: core.killSwitch.engaged,
    journal_ok: !core.journalBroken,
    strategy: core.strategy.name,
    actions_last_hour: core.actionTimesMs.length,
    describe_error: describeError,
    last_error: lastError,
    devices,
  };
}
