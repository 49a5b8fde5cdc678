// Turns a FaultPlan into faults over time: scheduled faults at their offsets, random faults as a
// Poisson process per rig (seeded), each with its ground-truth label; reports starts and ends.

import { RigtuneError } from '../core/errors.ts';
import {
  type ActiveFault,
  FAULTS_BY_RIG_TYPE,
  type FaultKind,
  type FaultLabel,
  type FaultPlan,
  RIG_FAULTS,
} from './faults.ts';
import { Rng } from './rng.ts';

/** What the scheduler needs to know about a rig to target faults at it. */
export interface FaultTarget {
  readonly rig: string;
  readonly type: 'gpu' | 'asic';
  /** Device names faults may name: GPUs (`gpu0`…), or boards (`board0`…) plus `total` for an ASIC. */
  readonly devices: readonly string[];
}

const MINUTE_MS = 60_000;
const DEFAULT_PASTE_RAMP_MS = 30 * MINUTE_MS;

/** Which device a fault kind targets on a rig type: 'rig' (none), 'gpu', 'board' or 'miner' (total). */
function scopeOf(kind: FaultKind, type: 'gpu' | 'asic'): 'rig' | 'gpu' | 'board' | 'miner' | null {
  if (RIG_FAULTS.includes(kind)) return 'rig';
  if (!FAULTS_BY_RIG_TYPE[type].includes(kind) && kind !== 'ignore_writes') return null;
  if (type === 'gpu') return 'gpu';
  return kind === 'fan_failure' || kind === 'ignore_writes' ? 'miner' : 'board';
}

function invalid(message: string, rig?: string, device?: string): RigtuneError {
  return new RigtuneError('RT_CONFIG_INVALID', message, { field: 'faults', rig, device });
}

/** Checks a fault's target and returns the label's device (null for rig-wide faults). */
function resolveDevice(kind: FaultKind, target: FaultTarget, device: string | null): string | null {
  const scope = scopeOf(kind, target.type);
  if (scope === null)
    throw invalid(`${kind} does not apply to ${target.type} rig '${target.rig}'`, target.rig);
  if (scope === 'rig') {
    if (device !== null)
      throw invalid(`${kind} hits the whole rig; write ${kind}@${target.rig}@…`, target.rig, device);
    return null;
  }
  if (scope === 'miner') {
    if (device !== null && device !== 'total')
      throw invalid(`${kind} on an ASIC names the miner: ${kind}@${target.rig}@…`, target.rig, device);
    return 'total';
  }
  const choices = target.devices.filter((d) =>
    scope === 'gpu' ? d.startsWith('gpu') : d.startsWith('board'),
  );
  if (device === null || !choices.includes(device))
    throw invalid(
      `${kind} needs a device of rig '${target.rig}': one of ${choices.join(', ')}`,
      target.rig,
      device ?? undefined,
    );
  return device;
}

/** Random duration (ms) of a random fault of `kind`, or null for a permanent one. */
function randomDurationMs(kind: FaultKind, rng: Rng): number | null {
  const minutes = (lo: number, hi: number) => Math.round(rng.uniform(lo, hi) * 60) * 1000;
  switch (kind) {
    case 'fan_failure':
    case 'thermal_paste':
      return null;
    case 'hashboard_dropout':
    case 'driver_crash':
      return rng.chance(0.5) ? null : minutes(1, 15);
    case 'memory_errors':
      return minutes(5, 30);
    case 'pool_latency':
      return minutes(1, 10);
    case 'reject_storm':
      return minutes(1, 5);
    case 'psu_sag':
      return Math.round(rng.uniform(10, 120)) * 1000;
    default:
      return minutes(1, 10);
  }
}

/** A started fault with its scheduled end (Infinity when permanent). */
interface Running {
  readonly fault: ActiveFault;
  readonly endMs: number;
}

/**
 * The fault timeline of a fleet. `advance(tMs)` starts every fault due by `tMs` and ends every fault
 * whose end is ≤ `tMs`, calling `onChange(fault, active)` in a fixed order, then rolls the random
 * faults for the step that ended at `tMs`. Labels are final when created (their end is planned).
 */
export class FaultScheduler {
  readonly #pending: ActiveFault[] = [];
  readonly #running: Running[] = [];
  readonly #labels: FaultLabel[] = [];
  readonly #targets: readonly FaultTarget[];
  readonly #rngs: Rng[];
  readonly #ratePerMs: number;
  #randomCount = 0;

  constructor(plan: FaultPlan, targets: readonly FaultTarget[], seed: number, startMs: number) {
    this.#targets = targets;
    this.#ratePerMs = plan.randomPerRigHour / 3_600_000;
    this.#rngs = targets.map((t) => Rng.derive(seed, `faults/${t.rig}`));
    plan.scheduled.forEach((spec, i) => {
      const target = targets.find((t) => t.rig === spec.rig);
      if (target === undefined)
        throw invalid(`no rig '${spec.rig}' (rigs: ${targets.map((t) => t.rig).join(', ')})`, spec.rig);
      const device = resolveDevice(spec.kind, target, spec.device);
      const tsStart = startMs + spec.startOffsetMs;
      const permanent = spec.kind === 'thermal_paste' || spec.durationMs === null;
      const label: FaultLabel = {
        id: `s${i + 1}`,
        kind: spec.kind,
        rig: spec.rig,
        device,
        ts_start: tsStart,
        ts_end: permanent ? null : tsStart + (spec.durationMs ?? 0),
        severity: spec.severity,
      };
      const rampMs = spec.kind === 'thermal_paste' ? (spec.durationMs ?? DEFAULT_PASTE_RAMP_MS) : 0;
      this.#pending.push({ label, rampMs, index: i });
    });
    this.#pending.sort((a, b) => a.label.ts_start - b.label.ts_start);
  }

  /** Every label created so far, in order of start time (ties: creation order). */
  labels(): FaultLabel[] {
    return [...this.#labels].sort((a, b) => a.ts_start - b.ts_start);
  }

  /** Faults running now. */
  active(): ActiveFault[] {
    return this.#running.map((r) => r.fault);
  }

  /**
   * Moves the timeline to `tMs`: ends, then starts, then (when `dtMs` > 0) rolls random faults for
   * the step (tMs − dtMs, tMs] which start at `tMs`.
   */
  advance(tMs: number, dtMs: number, onChange: (fault: ActiveFault, active: boolean) => void): void {
    for (let i = 0; i < this.#running.length; ) {
      const r = this.#running[i];
      if (r.endMs <= tMs) {
        this.#running.splice(i, 1);
        onChange(r.fault, false);
      } else i++;
    }
    while (this.#pending.length > 0 && this.#pending[0].label.ts_start <= tMs) {
      const f = this.#pending.shift()!;
      this.#start(f, tMs, onChange);
    }
    if (this.#ratePerMs > 0 && dtMs > 0) this.#rollRandom(tMs, dtMs, onChange);
  }

  #start(fault: ActiveFault, tMs: number, onChange: (fault: ActiveFault, active: boolean) => void): void {
    this.#labels.push(fault.label);
    const endMs = fault.label.ts_end ?? Infinity;
    if (endMs <= tMs) return; // ended before it could be seen (shorter than a step): labelled only
    this.#running.push({ fault, endMs });
    onChange(fault, true);
  }

  #rollRandom(tMs: number, dtMs: number, onChange: (fault: ActiveFault, active: boolean) => void): void {
    const p = 1 - Math.exp(-this.#ratePerMs * dtMs);
    this.#targets.forEach((target, t) => {
      const rng = this.#rngs[t];
      if (!rng.chance(p)) return;
      const kinds = FAULTS_BY_RIG_TYPE[target.type];
      const kind = kinds[rng.int(kinds.length)];
      const scope = scopeOf(kind, target.type);
      const choices =
        scope === 'gpu'
          ? target.devices.filter((d) => d.startsWith('gpu'))
          : scope === 'board'
            ? target.devices.filter((d) => d.startsWith('board'))
            : [];
      const device =
        scope === 'rig' ? null : scope === 'miner' ? 'total' : (choices[rng.int(choices.length)] ?? null);
      if (device === null && scope !== 'rig') return; // a rig without devices of that kind
      const severity = Math.round(rng.uniform(0.3, 1) * 100) / 100;
      const durationMs = randomDurationMs(kind, rng);
      const rampMs = kind === 'thermal_paste' ? Math.round(rng.uniform(30, 120)) * MINUTE_MS : 0;
      const index = rng.int(1 << 16);
      // One fault of a kind per device at a time: a duplicate roll is dropped (still deterministic).
      if (
        this.#running.some(
          (r) =>
            r.fault.label.rig === target.rig &&
            r.fault.label.kind === kind &&
            r.fault.label.device === device,
        )
      )
        return;
      this.#randomCount++;
      const label: FaultLabel = {
        id: `r${this.#randomCount}`,
        kind,
        rig: target.rig,
        device,
        ts_start: tMs,
        ts_end: durationMs === null ? null : tMs + durationMs,
        severity,
      };
      this.#start({ label, rampMs, index }, tMs, onChange);
    });
  }
}
