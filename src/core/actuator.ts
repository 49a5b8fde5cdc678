// Contract of an actuator driver: the set-points it can change on a device, the device's own limits, a
// write, and an independent read-back, so the control layer can verify every change it makes.

import type { Clock } from './clock.ts';

/**
 * What an actuator can set. Units are in the names; a null value means "the device's own default"
 * (power limit back to default, clocks unlocked, fan automatic, stock profile).
 * - `power_limit_w`: a GPU's power limit (NVML) or an ASIC's power target (Braiins OS+, LuxOS ATM).
 * - `clock_core_max_mhz`, `clock_mem_max_mhz`: upper bound of locked core / memory clocks.
 * - `fan_pct`: fixed fan duty, percent.
 * - `profile_step`: a LuxOS-style frequency profile as a signed step from the stock profile (0 = stock).
 */
export const SETPOINT_KINDS = [
  'power_limit_w',
  'clock_core_max_mhz',
  'clock_mem_max_mhz',
  'fan_pct',
  'profile_step',
] as const;

export type SetpointKind = (typeof SETPOINT_KINDS)[number];

/** The range a device accepts for one set-point, in the set-point's unit. */
export interface SetpointLimits {
  readonly min: number;
  readonly max: number;
  /** Granularity of accepted values (e.g. 1 W, 15 MHz, 1 profile step); undefined = any number. */
  readonly step?: number;
  /** The device's default (what a null write restores), when the device reports it. */
  readonly default?: number | null;
}

/** One controllable device as its driver sees it. */
export interface DeviceControl {
  readonly rig: string;
  /** Same device name as the source's snapshots (join key between observe and act). */
  readonly device: string;
  /** Model as reported (e.g. "NVIDIA H100 80GB HBM3", "Antminer S19k Pro"). */
  readonly model?: string;
  /** The set-points this device accepts, with the limits read from the device itself. */
  readonly limits: Readonly<Partial<Record<SetpointKind, SetpointLimits>>>;
}

/** A change to make: a value in the set-point's unit, or null for the device's default. */
export interface SetpointWrite {
  readonly kind: SetpointKind;
  readonly value: number | null;
}

/** What a driver is handed for one call. */
export interface ActuatorContext {
  readonly clock: Clock;
  /** Aborted on timeout or shutdown; drivers pass it to their I/O. */
  readonly signal: AbortSignal;
}

/**
 * A driver for one rig (one miner API endpoint or one host's GPUs). Calls on one actuator are made one
 * at a time by the control layer; a driver whose firmware allows a single writer (LuxOS sessions) holds
 * that invariant itself as well.
 */
export interface Actuator {
  /** Driver kind: 'sim', 'nvml', 'braiins', 'luxos'. */
  readonly kind: string;
  readonly rig: string;
  /** Controllable devices and their limits, read from the devices. Throws ActuatorError. */
  describe(ctx: ActuatorContext): Promise<readonly DeviceControl[]>;
  /**
   * The set-point as the device reports it now, read independently of any write (null = default or
   * automatic). This is the verification read: it must not echo a value the driver cached.
   */
  read(device: string, kind: SetpointKind, ctx: ActuatorContext): Promise<number | null>;
  /**
   * Sends the change and resolves once the device accepted the command. It does not verify: the caller
   * reads back. Throws ActuatorError (refused, out_of_bounds, unsupported, unreachable).
   */
  write(device: string, change: SetpointWrite, ctx: ActuatorContext): Promise<void>;
  /** Releases sockets, sessions, libraries. Idempotent. */
  close(): Promise<void>;
}
