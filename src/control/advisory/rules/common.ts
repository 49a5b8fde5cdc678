// Helpers shared by the advisory rules: tri-state hysteresis bands, the hot-sensor check, the fan's
// headroom, targets, and number formatting for the one-sentence reasons.

import type { AdvisoryOptions } from '../options.ts';
import type {
  AdviceKind,
  AdviceTarget,
  DeviceView,
  Evidence,
  Finding,
  FindingGist,
  Severity,
} from '../types.ts';

/** Tri-state of a condition: on (trigger met), off (clear met), hold (between, or unknown). */
export type Band = 'on' | 'off' | 'hold';

/**
 * Hysteresis band of `value`. For 'above' the condition is on at value ≥ trigger and off at value ≤
 * clear (clear ≤ trigger); for 'below' on at value ≤ trigger and off at value ≥ clear. Null → hold.
 */
export function band(value: number | null, trigger: number, clear: number, side: 'above' | 'below'): Band {
  if (value === null || !Number.isFinite(value)) return 'hold';
  if (side === 'above') return value >= trigger ? 'on' : value <= clear ? 'off' : 'hold';
  return value <= trigger ? 'on' : value >= clear ? 'off' : 'hold';
}

/** Either branch on → on; every known branch off → off; otherwise hold. Null when neither is known. */
export function anyOf(a: Band | null, b: Band | null): Band | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a === 'on' || b === 'on') return 'on';
  return a === 'off' && b === 'off' ? 'off' : 'hold';
}

/** Both conditions needed: on when both on, off when either off, else hold. */
export function allOf(a: Band, b: Band): Band {
  if (a === 'off' || b === 'off') return 'off';
  return a === 'on' && b === 'on' ? 'on' : 'hold';
}

/** A finite number or null. */
export function num(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}

/** The sensor furthest past (or closest to) its hot mark. */
export interface HotSensor {
  readonly field: 'temp_core_c' | 'temp_mem_c' | 'temp_chip_max_c';
  readonly label: string;
  readonly tempC: number;
  readonly hotC: number;
  /** temp − hot mark, °C: ≥ 0 hot, ≤ −clear_margin_c cool. */
  readonly overC: number;
}

/** The binding sensor of a device, or null when it reports no temperature. */
export function hottestSensor(view: DeviceView, o: AdvisoryOptions): HotSensor | null {
  const s = view.snapshot;
  if (s === null) return null;
  const t = o.thermal;
  const sensors: HotSensor[] = [];
  const add = (field: HotSensor['field'], label: string, hotC: number) => {
    const tempC = num(s[field]);
    if (tempC !== null) sensors.push({ field, label, tempC, hotC, overC: tempC - hotC });
  };
  add('temp_core_c', 'core', t.core_hot_c);
  add('temp_mem_c', 'memory junction', t.mem_hot_c);
  add('temp_chip_max_c', 'hottest chip', t.chip_hot_c);
  if (sensors.length === 0) return null;
  return sensors.reduce((a, b) => (b.overC > a.overC ? b : a));
}

/**
 * How far the binding sensor is past its hot mark, °C (hottestSensor's overC, without building it);
 * null when the device reports no temperature.
 */
export function hottestOverC(view: DeviceView, o: AdvisoryOptions): number | null {
  const s = view.snapshot;
  if (s === null) return null;
  const t = o.thermal;
  const core = num(s.temp_core_c);
  const mem = num(s.temp_mem_c);
  const chip = num(s.temp_chip_max_c);
  let over: number | null = core === null ? null : core - t.core_hot_c;
  if (mem !== null && (over === null || mem - t.mem_hot_c > over)) over = mem - t.mem_hot_c;
  if (chip !== null && (over === null || chip - t.chip_hot_c > over)) over = chip - t.chip_hot_c;
  return over;
}

/** Hot band of the binding sensor (hold when no sensor is known). */
export function hotBand(hot: HotSensor | null, o: AdvisoryOptions): Band {
  return hotBandOf(hot === null ? null : hot.overC, o);
}

/** Hot band from the binding sensor's overC (hottestOverC; null → hold). */
export function hotBandOf(overC: number | null, o: AdvisoryOptions): Band {
  return band(overC, 0, -o.thermal.clear_margin_c, 'above');
}

/** A commanded fan whose tachometer reads stopped. */
export function isFanStalled(view: DeviceView, o: AdvisoryOptions): boolean {
  const pct = num(view.snapshot?.fan_pct);
  const rpm = num(view.snapshot?.fan_rpm);
  const r = o.rules.check_fan;
  return pct !== null && rpm !== null && pct >= r.min_fan_pct && rpm <= r.stalled_rpm;
}

/** True when the fan can still be raised: a known duty below the headroom mark and not stalled. */
export function hasFanHeadroom(view: DeviceView, o: AdvisoryOptions): boolean {
  const pct = num(view.snapshot?.fan_pct);
  return pct !== null && pct < o.rules.raise_fan.fan_max_pct && !isFanStalled(view, o);
}

/** Index of a `board<N>` device (cgminer-family sources and the simulator name boards so), else null. */
export function boardIndex(device: string): number | null {
  const m = /^board(\d+)$/.exec(device);
  return m === null ? null : Number(m[1]);
}

export function deviceTarget(view: DeviceView): AdviceTarget {
  return { rig: view.rig, device: view.device, board: view.board };
}

/** `rig/device` as reasons name it. */
export function nameOf(view: DeviceView): string {
  return `${view.rig}/${view.device}`;
}

/** A number for a sentence: at most `digits` decimals, trailing zeros dropped. */
export function fmt(x: number, digits = 1): string {
  return String(Number(x.toFixed(digits)));
}

/** A warning becomes critical on a device whose rupture class is macro (when so configured). */
export function escalate(severity: Severity, view: DeviceView, o: AdvisoryOptions): Severity {
  return severity === 'warning' && o.escalate_on_macro && view.tick.rupture_class === 'macro'
    ? 'critical'
    : severity;
}

/** Evidence every device finding carries: the scorer's verdict at this tick. */
export function scoreEvidence(view: DeviceView): Evidence {
  return { rupture_class: view.tick.rupture_class, sep_score: view.tick.sep_score };
}

/** A finding with no advice details (off or hold). */
export function quiet(kind: AdviceKind, target: AdviceTarget, state: Band): Finding {
  return { kind, target, state, severity: 'info', delta: null, reason: '', evidence: {} };
}

/** A critical finding without a delta (shared: gists are read, never changed). */
export const CRITICAL_LOOK: FindingGist = Object.freeze({ severity: 'critical', delta: null });

/** The gist of a finding with no delta. */
export function lookGist(severity: Severity): FindingGist {
  return severity === 'critical' ? CRITICAL_LOOK : { severity, delta: null };
}
