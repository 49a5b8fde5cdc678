// Shapes of the advisory engine: what a rule sees of a device, what it finds, and the advice record
// it publishes (the payload of a ControlRecord of kind 'advice').

import type { SetpointKind } from '../../core/actuator.ts';
import type { ScoreTick } from '../../core/scores.ts';
import type { Snapshot } from '../../core/snapshot.ts';

/** What an advice asks the operator (or autotune) to do. */
export const ADVICE_KINDS = [
  'lower_power_limit',
  'raise_fan',
  'lower_core_clock',
  'check_fan',
  'check_pool',
  'inspect_hashboard',
  'inspect_device',
  'check_power_supply',
  'device_stale',
] as const;
export type AdviceKind = (typeof ADVICE_KINDS)[number];

/** Severities, least to most urgent. While an advice is active its severity only rises. */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What an advice is about: a whole rig (device null), a device, or one ASIC hashboard. */
export interface AdviceTarget {
  readonly rig: string;
  /** Device name as in the snapshots; null = the rig as a whole (its miner, its pool). */
  readonly device: string | null;
  /** Hashboard index when the device is an ASIC board (`board<N>`), else null. */
  readonly board: number | null;
}

/** A suggested set-point change: `by` in the set-point's unit, signed (−10 = lower by 10). */
export interface AdviceDelta {
  readonly setpoint: SetpointKind;
  readonly by: number;
  readonly unit: 'W' | '%' | 'MHz' | 'step';
}

/** The fields and values that triggered an advice (units in the names, as in the snapshot). */
export type Evidence = Readonly<Record<string, number | string | boolean | null>>;

/** Why an active advice ended. */
export type ClearCause = 'condition_ended' | 'expired' | 'rule_disabled' | 'rig_removed';

/** The payload of a ControlRecord of kind 'advice'. */
export type AdvicePayload = {
  /** Stable for one episode (raise, updates, clear): `<kind>:<rig>:<device or *>:<raised_ms>`. */
  readonly id: string;
  /** 'active' when raised or updated (delta or severity changed); 'cleared' once, when it ends. */
  readonly state: 'active' | 'cleared';
  readonly kind: AdviceKind;
  readonly target: AdviceTarget;
  /** The suggested change, or null when the advice is to look at something (pool, board, fan). */
  readonly delta: AdviceDelta | null;
  /** One plain sentence with numbers and units. */
  readonly reason: string;
  readonly evidence: Evidence;
  /** How long this record stays valid from `ts` of its ControlRecord, ms. */
  readonly ttl_ms: number;
  readonly severity: Severity;
  /** When the episode was raised, epoch ms. */
  readonly raised_ms: number;
  /** Why it was cleared; null while active. */
  readonly cause: ClearCause | null;
};

/** Freshness of a device as the ingest scheduler reports it (its DeviceStatus fits this shape). */
export interface DeviceFreshness {
  readonly rig: string;
  readonly device: string;
  /** fresh: new samples; stale: only unchanged re-reads; missing: nothing read (source down, device gone). */
  readonly state: 'fresh' | 'stale' | 'missing';
  /** Last fresh sample, epoch ms; null if none yet. */
  readonly lastFreshMs: number | null;
}

/** One rig's tick as the engine reads it (a RigTickBatch fits this shape). */
export interface AdvisoryBatch {
  readonly rig: string;
  /** Tick time, epoch ms. */
  readonly ts: number;
  readonly scores: readonly ScoreTick[];
  /** Snapshots of this tick, matched to scores by device; may be empty (then snapshot rules skip). */
  readonly snapshots: readonly Snapshot[];
}

/** What a rule sees of one device at one tick. */
export interface DeviceView {
  readonly rig: string;
  readonly device: string;
  /** Board index for `board<N>` devices, else null. */
  readonly board: number | null;
  readonly tick: ScoreTick;
  /** The raw sample of this tick; null when the caller gave none. */
  readonly snapshot: Snapshot | null;
  /** Hardware errors per minute over the rule's window, their count and the seconds covered; null until 60 s are known. */
  readonly hwErrorsPerMin: number | null;
  readonly hwErrorsInWindow: number | null;
  readonly hwErrorsSpanS: number | null;
  /** Freshness last reported for this device (fresh when nothing was reported). */
  readonly freshness: DeviceFreshness['state'];
}

/**
 * A rule's verdict on one target at one tick. `on`: the trigger condition holds; `off`: the clear
 * condition holds; `hold`: between the two (or inputs unknown) — nothing changes.
 */
export interface Finding {
  readonly kind: AdviceKind;
  readonly target: AdviceTarget;
  readonly state: 'on' | 'off' | 'hold';
  /** Meaningful when on. */
  readonly severity: Severity;
  readonly delta: AdviceDelta | null;
  readonly reason: string;
  readonly evidence: Evidence;
}

/** The parts of an `on` finding that decide whether an active advice is updated. */
export type FindingGist = Pick<Finding, 'severity' | 'delta'>;
