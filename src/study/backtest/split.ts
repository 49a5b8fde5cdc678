// Validation/test split of a backtest's data by trace, rig or device: deterministic and seeded, and
// every unit, signal and label lands in at most one part, so a configuration is never picked on test data.

import { RigtuneError } from '../../core/errors.ts';
import type { Exposure, ScopedLabel, Signal } from './types.ts';

/** What one unit of the split is: a whole trace file, a rig of a trace, or a device of a rig. */
export const SPLIT_UNITS = ['trace', 'rig', 'device'] as const;
export type SplitUnit = (typeof SPLIT_UNITS)[number];

export interface SplitOptions {
  readonly by: SplitUnit;
  /** Fraction of the units in the validation part, (0, 1). */
  readonly fraction: number;
  /** Seed of the unit order (integer). */
  readonly seed: number;
}

/** The data one evaluation reads. */
export interface BacktestData {
  readonly signals: readonly Signal[];
  readonly labels: readonly ScopedLabel[];
  readonly exposures: readonly Exposure[];
}

export interface SplitPart extends BacktestData {
  /** Unit keys of this part, sorted. */
  readonly units: readonly string[];
  /** Rig-wide advice of this part's rigs left out (split by device only: it reads every device of its rig). */
  readonly excludedRigAdvice: number;
}

/** 32-bit FNV-1a of the text, then murmur3's finaliser: a well-mixed, platform-independent hash. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The unit key of (trace, rig, device) under `by`; device null (rig-wide) has no device key. */
export function unitKey(by: SplitUnit, trace: number, rig: string, device: string | null): string | null {
  if (by === 'trace') return String(trace);
  if (by === 'rig') return `${trace}/${rig}`;
  return device === null ? null : `${trace}/${rig}/${device}`;
}

/**
 * Picks the validation units: units ordered by (hash of seed and key, key), the first
 * round(fraction × n) (at least 1, at most n − 1). Independent of input order. Throws RT_CLI_USAGE
 * with fewer than 2 units.
 */
export function validationUnits(keys: readonly string[], o: SplitOptions): Set<string> {
  const units = [...new Set(keys)].sort();
  if (units.length < 2)
    throw new RigtuneError(
      'RT_CLI_USAGE',
      `a validation/test split by ${o.by} needs at least 2 ${o.by}s, the data have ${units.length}; ` +
        'use more data, another --split-by, or a single configuration without --sweep',
      { field: 'split' },
    );
  if (!(o.fraction > 0 && o.fraction < 1))
    throw new RigtuneError('RT_CLI_USAGE', `--split must be in (0, 1), got ${o.fraction}`, {
      field: 'split',
    });
  const ranked = units
    .map((key) => ({ key, h: hash32(`${o.seed}:${key}`) }))
    .sort((a, b) => a.h - b.h || (a.key < b.key ? -1 : 1));
  const n = Math.min(units.length - 1, Math.max(1, Math.round(o.fraction * units.length)));
  return new Set(ranked.slice(0, n).map((u) => u.key));
}

/** The part of `data` whose units are in (`inside` true) or out of the validation set. */
function part(
  data: BacktestData,
  by: SplitUnit,
  validation: ReadonlySet<string>,
  inside: boolean,
): SplitPart {
  const keep = (key: string | null) => key !== null && validation.has(key) === inside;
  const exposures = data.exposures.filter((e) => keep(unitKey(by, e.trace, e.rig, e.device)));
  // Rig-wide labels and advice under a device split concern each part that holds a device of their rig.
  const rigsHere = new Set(exposures.map((e) => `${e.trace}/${e.rig}`));
  let excluded = 0;
  const signals = data.signals.filter((s) => {
    const key = unitKey(by, s.trace, s.rig, s.device);
    if (key === null && rigsHere.has(`${s.trace}/${s.rig}`)) excluded += 1;
    return keep(key);
  });
  const labels = data.labels.filter((l) =>
    by === 'device' && l.device === null
      ? rigsHere.has(`${l.trace}/${l.rig}`)
      : keep(unitKey(by, l.trace, l.rig, l.device)),
  );
  const units = [...new Set(exposures.map((e) => unitKey(by, e.trace, e.rig, e.device) as string))].sort();
  return { signals, labels, exposures, units, excludedRigAdvice: excluded };
}

/** Splits the data into a validation and a test part (see validationUnits for the rule). */
export function splitData(data: BacktestData, o: SplitOptions): { validation: SplitPart; test: SplitPart } {
  const keys = data.exposures.map((e) => unitKey(o.by, e.trace, e.rig, e.device) as string);
  const validation = validationUnits(keys, o);
  return { validation: part(data, o.by, validation, true), test: part(data, o.by, validation, false) };
}
