// Scores a replay's signals against labelled incidents: detection rate, lead time, false alarms per
// device-day and precision, per signal level and advice kind, each with its n and 95 % interval.

import { RUPTURE_CLASSES } from '../../core/scores.ts';
import { wilsonInterval } from '../../kernel/stats/index.ts';
import { distributionOf, poissonInterval } from './intervals.ts';
import { type MatchWindow, matchWindows } from './match.ts';
import {
  type BacktestFigures,
  type Exposure,
  type LabelInput,
  type LevelFigures,
  type MatchOptions,
  type Proportion,
  type Rate,
  type ScopedLabel,
  SIGNAL_LEVELS,
  type Signal,
  type SignalLevel,
} from './types.ts';

const MS_PER_DAY = 86_400_000;

/** k of n with the Wilson 95 % interval. */
export function proportion(k: number, n: number): Proportion {
  const ci = wilsonInterval(k, n);
  return { k, n, rate: n === 0 ? null : k / n, ci95: ci === null ? null : [ci.lower, ci.upper] };
}

/** `count` events over `deviceDays` with the exact Poisson 95 % interval; null rate without exposure. */
export function rateOf(count: number, deviceDays: number): Rate {
  if (!(deviceDays > 0)) return { count, device_days: 0, per_device_day: null, ci95: null };
  const [lo, hi] = poissonInterval(count);
  return {
    count,
    device_days: deviceDays,
    per_device_day: count / deviceDays,
    ci95: [lo / deviceDays, hi / deviceDays],
  };
}

/** Total observed device-days: each device's last − first sample time. */
export function deviceDaysOf(exposures: readonly Exposure[]): number {
  let ms = 0;
  for (const e of exposures) ms += e.lastMs - e.firstMs;
  return ms / MS_PER_DAY;
}

/**
 * Ties labels to traces: a label is evaluated in every trace (its own only, when it has one) that
 * observed its rig (and device) at its onset. Labels whose onset no trace observed are returned apart.
 */
export function scopeLabels(
  inputs: readonly LabelInput[],
  exposures: readonly Exposure[],
): { scoped: ScopedLabel[]; unobserved: LabelInput[] } {
  const scoped: ScopedLabel[] = [];
  const unobserved: LabelInput[] = [];
  for (const input of inputs) {
    const l = input.label;
    const traces = new Set<number>();
    for (const e of exposures)
      if (
        (input.trace === null || e.trace === input.trace) &&
        e.rig === l.rig &&
        (l.device === null || e.device === l.device) &&
        e.firstMs <= l.startMs &&
        l.startMs <= e.lastMs
      )
        traces.add(e.trace);
    if (traces.size === 0) unobserved.push(input);
    for (const trace of [...traces].sort((a, b) => a - b)) scoped.push({ ...l, trace });
  }
  return { scoped, unobserved };
}

const RANK = new Map(RUPTURE_CLASSES.map((c, i) => [c, i]));

/** True when the signal belongs to the level: events of at least that class, or advice. */
export function isAtLevel(s: Signal, level: SignalLevel): boolean {
  if (level === 'advice') return s.source === 'advice';
  if (s.source !== 'event') return false;
  return level === 'any' || (RANK.get(s.class ?? 'none') ?? 0) >= (RANK.get(level) ?? 0);
}

/** The window a label accepts signals in, ms: [onset − before, (end, or +∞) + after]. */
export function windowOf(l: ScopedLabel, o: MatchOptions): MatchWindow {
  return {
    fromT: l.startMs - o.beforeMs,
    toT: l.endMs === null ? Number.POSITIVE_INFINITY : l.endMs + o.afterMs,
    anchor: l.startMs,
  };
}

/** Same trace and rig, and the devices agree (either side null = the whole rig). */
export function concerns(l: ScopedLabel, s: Signal): boolean {
  return (
    l.trace === s.trace &&
    l.rig === s.rig &&
    (l.device === null || s.device === null || l.device === s.device)
  );
}

/** Matches one level's signals: each label's first matching signal (or null), and each signal's hit. */
function matchLevel(labels: readonly ScopedLabel[], signals: readonly Signal[], o: MatchOptions) {
  const firstOf: Array<Signal | null> = labels.map((l) => {
    const mine = signals.filter((s) => concerns(l, s));
    const [hit] = matchWindows(
      [windowOf(l, o)],
      mine.map((s) => s.tsMs),
      { pick: 'first', exclusive: false },
    );
    return hit === null ? null : mine[hit];
  });
  const hits = signals.map((s) =>
    labels.some((l) => {
      if (!concerns(l, s)) return false;
      const w = windowOf(l, o);
      return w.fromT <= s.tsMs && s.tsMs <= w.toT;
    }),
  );
  return { firstOf, hits };
}

function levelFigures(
  labels: readonly ScopedLabel[],
  signals: readonly Signal[],
  o: MatchOptions,
  deviceDays: number,
): LevelFigures {
  const { firstOf, hits } = matchLevel(labels, signals, o);
  const leads: number[] = [];
  firstOf.forEach((s, i) => {
    if (s !== null) leads.push((s.tsMs - labels[i].startMs) / 1000);
  });
  const matched = hits.filter(Boolean).length;
  return {
    detection: proportion(leads.length, labels.length),
    lead_time_s: distributionOf(leads),
    signals: signals.length,
    false_alarms: rateOf(signals.length - matched, deviceDays),
    precision: proportion(matched, signals.length),
  };
}

/** What `evaluate` reads. */
export interface EvaluationInput {
  readonly signals: readonly Signal[];
  readonly labels: readonly ScopedLabel[];
  readonly exposures: readonly Exposure[];
  /** Level of the per-label-kind detection table. */
  readonly headline: SignalLevel;
  /** Rig-wide advice already left out by the caller (reported, not scored). */
  readonly excludedRigAdvice?: number;
}

/** Every figure of one evaluation; see README.md for the rules. */
export function evaluate(input: EvaluationInput, o: MatchOptions): BacktestFigures {
  const deviceDays = deviceDaysOf(input.exposures);
  const levels = {} as Record<SignalLevel, LevelFigures>;
  for (const level of SIGNAL_LEVELS)
    levels[level] = levelFigures(
      input.labels,
      input.signals.filter((s) => isAtLevel(s, level)),
      o,
      deviceDays,
    );
  const adviceKinds: Record<string, { precision: Proportion; false_alarms: Rate }> = {};
  const kinds = [
    ...new Set(input.signals.flatMap((s) => (s.adviceKind === null ? [] : [s.adviceKind]))),
  ].sort();
  for (const kind of kinds) {
    const f = levelFigures(
      input.labels,
      input.signals.filter((s) => s.adviceKind === kind),
      o,
      deviceDays,
    );
    adviceKinds[kind] = { precision: f.precision, false_alarms: f.false_alarms };
  }
  const labelKinds: Record<string, { detection: Proportion; advice: Proportion }> = {};
  for (const kind of [...new Set(input.labels.map((l) => l.kind))].sort()) {
    const mine = input.labels.filter((l) => l.kind === kind);
    const at = (level: SignalLevel) =>
      levelFigures(
        mine,
        input.signals.filter((s) => isAtLevel(s, level)),
        o,
        deviceDays,
      ).detection;
    labelKinds[kind] = { detection: at(input.headline), advice: at('advice') };
  }
  const devices = new Set(input.exposures.map((e) => `${e.trace}\u0000${e.rig}\u0000${e.device}`));
  return {
    traces: new Set(input.exposures.map((e) => e.trace)).size,
    devices: devices.size,
    device_days: deviceDays,
    labels: input.labels.length,
    levels,
    advice_kinds: adviceKinds,
    label_kinds: labelKinds,
    excluded_rig_advice: input.excludedRigAdvice ?? 0,
  };
}
