// Fault kinds, their ground-truth labels and the `--faults` spec syntax
// (`fan_failure@rig1/gpu0@40m,pool_latency@rig2@50m+5m*0.5,random:0.2`): parsing only, no effects.

import { RigtuneError } from '../core/errors.ts';
import { parseDurationMs } from './duration.ts';

/** Every fault the simulator can inject. Effects are documented in README.md ("Faults"). */
export const FAULT_KINDS = [
  'fan_failure',
  'thermal_paste',
  'hashboard_dropout',
  'memory_errors',
  'pool_latency',
  'reject_storm',
  'psu_sag',
  'driver_crash',
  'ignore_writes',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults that hit a whole rig (its pool or its power supply): their label's device is null. */
export const RIG_FAULTS: readonly FaultKind[] = ['pool_latency', 'reject_storm', 'psu_sag'];

/** Which faults apply to which rig type; ignore_writes is only ever scheduled, never random. */
export const FAULTS_BY_RIG_TYPE: Readonly<Record<'gpu' | 'asic', readonly FaultKind[]>> = {
  gpu: [
    'fan_failure',
    'thermal_paste',
    'memory_errors',
    'pool_latency',
    'reject_storm',
    'psu_sag',
    'driver_crash',
  ],
  asic: ['fan_failure', 'thermal_paste', 'hashboard_dropout', 'pool_latency', 'reject_storm', 'psu_sag'],
};

/**
 * Ground truth of one injected fault, one line of `<out>.events.ndjson`. Times are epoch ms;
 * `ts_end` null means the fault never ended within or after the trace (permanent damage, or a
 * thermal-paste drift that only grows); `device` null means the whole rig; severity in (0, 1].
 */
export interface FaultLabel {
  readonly id: string;
  readonly kind: FaultKind;
  readonly rig: string;
  readonly device: string | null;
  readonly ts_start: number;
  readonly ts_end: number | null;
  readonly severity: number;
}

/** A scheduled fault from the spec; times are offsets from the simulation start (ms). */
export interface ScheduledFaultSpec {
  readonly kind: FaultKind;
  readonly rig: string;
  readonly device: string | null;
  readonly startOffsetMs: number;
  /** Null: lasts to the end (for thermal_paste: the drift ramps over 30 min and stays). */
  readonly durationMs: number | null;
  readonly severity: number;
}

/** A parsed `--faults` value: scheduled faults plus a random-fault rate (faults per rig per hour). */
export interface FaultPlan {
  readonly scheduled: readonly ScheduledFaultSpec[];
  readonly randomPerRigHour: number;
}

export const NO_FAULTS: FaultPlan = { scheduled: [], randomPerRigHour: 0 };

function invalid(message: string): RigtuneError {
  return new RigtuneError('RT_CONFIG_INVALID', message, { field: 'faults' });
}

function isFaultKind(s: string): s is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(s);
}

const NAME = /^[A-Za-z0-9_.-]+$/;

function parseItem(item: string): ScheduledFaultSpec {
  const parts = item.split('@');
  if (parts.length !== 3) throw invalid(`'${item}': write kind@rig[/device]@start[+duration][*severity]`);
  const [kind, target, when] = parts;
  if (!isFaultKind(kind))
    throw invalid(`'${item}': unknown fault kind '${kind}' (one of ${FAULT_KINDS.join(', ')})`);
  const slash = target.indexOf('/');
  const rig = slash < 0 ? target : target.slice(0, slash);
  const device = slash < 0 ? null : target.slice(slash + 1);
  if (!NAME.test(rig) || (device !== null && !NAME.test(device)))
    throw invalid(`'${item}': rig and device names are letters, digits, '_', '-', '.'`);
  const m = /^([^+*]+)(?:\+([^*]+))?(?:\*(.+))?$/.exec(when);
  if (m === null) throw invalid(`'${item}': time must be start[+duration][*severity]`);
  const severity = m[3] === undefined ? 1 : Number(m[3]);
  if (!(severity > 0 && severity <= 1)) throw invalid(`'${item}': severity must be in (0, 1], got '${m[3]}'`);
  const durationMs = m[2] === undefined ? null : parseDurationMs(m[2], 'faults');
  if (durationMs !== null && durationMs <= 0) throw invalid(`'${item}': duration must be positive`);
  return { kind, rig, device, startOffsetMs: parseDurationMs(m[1], 'faults'), durationMs, severity };
}

/**
 * Parses a `--faults` value: comma-separated items, each either `kind@rig[/device]@start[+duration][*severity]`
 * (start and duration are durations from the simulation start, e.g. `40m`, `1h5m`, `30s`) or
 * `random:RATE` (RATE faults per rig per hour, Poisson). Empty text is no faults. Throws RT_CONFIG_INVALID.
 * Whether the rig and device exist is checked when the fleet is built.
 */
export function parseFaultSpec(text: string): FaultPlan {
  const scheduled: ScheduledFaultSpec[] = [];
  let randomPerRigHour = 0;
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    if (item.startsWith('random:')) {
      const rate = Number(item.slice('random:'.length));
      if (!(rate >= 0) || !Number.isFinite(rate))
        throw invalid(`'${item}': RATE must be a number ≥ 0 (faults per rig per hour)`);
      randomPerRigHour += rate;
    } else scheduled.push(parseItem(item));
  }
  return { scheduled, randomPerRigHour };
}

/** A fault the fleet has started: its label plus what its effect needs beyond the label. */
export interface ActiveFault {
  readonly label: FaultLabel;
  /** thermal_paste: time over which the thermal resistance drifts to its final value (ms). */
  readonly rampMs: number;
  /** ASIC fan_failure: which fan (0-based) stops. */
  readonly index: number;
}
