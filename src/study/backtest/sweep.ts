// Threshold sweeps: the `--sweep` grid syntax (`changepoint.hazard=1e-4,1e-3;rupture.meso=0.3,0.4`), its
// grid points as threshold overlays, and the rule that picks one candidate from validation figures only.

import { RigtuneError } from '../../core/errors.ts';
import type { BacktestFigures, SignalLevel } from './types.ts';

/** A value a threshold key can take in a sweep. */
export type SweepValue = number | boolean | string;

/** One swept key: its dotted path in a thresholds section and the values tried, in order. */
export interface SweepAxis {
  readonly path: readonly string[];
  readonly values: readonly SweepValue[];
}

/** One grid point: a name such as `changepoint.hazard=0.001 rupture.meso=0.3` and the nested overlay. */
export interface GridPoint {
  readonly name: string;
  readonly settings: Readonly<Record<string, SweepValue>>;
  readonly overlay: Readonly<Record<string, unknown>>;
}

function usage(message: string): RigtuneError {
  return new RigtuneError('RT_CLI_USAGE', `--sweep: ${message}`, { field: 'sweep' });
}

function sweepValueOf(text: string): SweepValue {
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : text;
}

/** Leaf paths of a thresholds tree (objects descend, anything else is a leaf). */
function isLeaf(tree: unknown, path: readonly string[]): 'leaf' | 'branch' | 'none' {
  let node: unknown = tree;
  for (const seg of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !(seg in node)) return 'none';
    node = (node as Record<string, unknown>)[seg];
  }
  return node !== null && typeof node === 'object' && !Array.isArray(node) ? 'branch' : 'leaf';
}

/**
 * Parses a grid: `key=v1,v2;key2=v3` with keys as dotted paths of `known` (the thresholds with their
 * defaults, e.g. config's DEFAULT_THRESHOLDS). Throws RT_CLI_USAGE for syntax, an unknown or repeated
 * key, a key naming a section, or an empty value list.
 */
export function parseSweep(text: string, known: unknown): SweepAxis[] {
  const axes: SweepAxis[] = [];
  for (const raw of text.split(';')) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw usage(`'${item}': write key=value1,value2 (e.g. changepoint.hazard=1e-4,1e-3)`);
    const key = item.slice(0, eq).trim();
    const path = key.split('.');
    const kind = isLeaf(known, path);
    if (kind === 'none')
      throw usage(`'${key}' is not a thresholds key (see docs/config.md, e.g. rupture.meso)`);
    if (kind === 'branch') throw usage(`'${key}' is a section; name one of its keys (e.g. ${key}.…)`);
    if (axes.some((a) => a.path.join('.') === key)) throw usage(`'${key}' is given twice`);
    const values = item
      .slice(eq + 1)
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map(sweepValueOf);
    if (values.length === 0) throw usage(`'${key}' has no values`);
    axes.push({ path, values });
  }
  return axes;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const seg of path.slice(0, -1)) {
    node[seg] ??= {};
    node = node[seg] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/** Every combination of the axes (the first axis varies slowest); one empty point for no axes. */
export function gridPoints(axes: readonly SweepAxis[]): GridPoint[] {
  let points: Array<Array<[SweepAxis, SweepValue]>> = [[]];
  for (const axis of axes)
    points = points.flatMap((p) =>
      axis.values.map((v) => [...p, [axis, v]] as Array<[SweepAxis, SweepValue]>),
    );
  return points.map((combo) => {
    const overlay: Record<string, unknown> = {};
    const settings: Record<string, SweepValue> = {};
    for (const [axis, v] of combo) {
      setPath(overlay, axis.path, v);
      settings[axis.path.join('.')] = v;
    }
    const name = combo.map(([a, v]) => `${a.path.join('.')}=${v}`).join(' ');
    return { name, settings, overlay };
  });
}

/** How a candidate is picked from its validation figures. */
export interface PickRule {
  /** Level whose detection rate and false alarms are compared. */
  readonly level: SignalLevel;
  /** Most false alarms per device-day allowed; null = no budget. */
  readonly maxFalseAlarmsPerDeviceDay: number | null;
}

/** Why a candidate won. */
export interface Pick {
  readonly index: number;
  readonly withinBudget: boolean;
  readonly reason: string;
}

/**
 * Picks among candidates by their VALIDATION figures only: of those within the false-alarm budget, the
 * highest detection rate; ties → fewer false alarms, then shorter median lead, then the earlier
 * candidate. When none is within budget: the fewest false alarms (ties → higher detection, earlier).
 */
export function pickCandidate(validation: readonly BacktestFigures[], rule: PickRule): Pick {
  if (validation.length === 0) throw new RangeError('pickCandidate: no candidates');
  const at = (i: number) => validation[i].levels[rule.level];
  const det = (i: number) => at(i).detection.rate ?? 0;
  const fa = (i: number) => at(i).false_alarms.per_device_day ?? Number.POSITIVE_INFINITY;
  const lead = (i: number) => at(i).lead_time_s.median ?? Number.POSITIVE_INFINITY;
  const idx = validation.map((_, i) => i);
  const budget = rule.maxFalseAlarmsPerDeviceDay;
  const within = idx.filter((i) => budget === null || fa(i) <= budget);
  if (within.length > 0) {
    const best = within.sort((a, b) => det(b) - det(a) || fa(a) - fa(b) || lead(a) - lead(b) || a - b)[0];
    return {
      index: best,
      withinBudget: true,
      reason:
        budget === null
          ? `highest validation detection rate (${rule.level})`
          : `highest validation detection rate (${rule.level}) with ≤ ${budget} false alarms per device-day`,
    };
  }
  const best = idx.sort((a, b) => fa(a) - fa(b) || det(b) - det(a) || a - b)[0];
  return {
    index: best,
    withinBudget: false,
    reason: `no candidate within ${budget} false alarms per device-day on validation: the fewest false alarms`,
  };
}
