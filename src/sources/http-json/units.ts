// Units a mapping may declare, what each snapshot field measures, and the conversion to the field's
// unit (H/s, W, °C, %, ms, MHz, rpm, J, or a plain count) — checked at config time, applied per read.

import { isCounterField, type NumericField } from '../../core/snapshot.ts';

/** Units a mapping may declare. 'ratio' is 0..1 (→ %), 'count' is dimensionless. */
export const UNITS = [
  'H/s',
  'kH/s',
  'MH/s',
  'GH/s',
  'TH/s',
  'PH/s',
  'W',
  'kW',
  'C',
  'F',
  'ms',
  's',
  '%',
  'ratio',
  'MHz',
  'GHz',
  'rpm',
  'J',
  'kJ',
  'Wh',
  'kWh',
  'count',
] as const;

export type Unit = (typeof UNITS)[number];

type Dimension =
  | 'hashrate'
  | 'power'
  | 'temperature'
  | 'percent'
  | 'duration'
  | 'frequency'
  | 'rpm'
  | 'energy'
  | 'count';

const UNIT_TABLE: Readonly<Record<Unit, { dimension: Dimension; toBase: (v: number) => number }>> = {
  'H/s': { dimension: 'hashrate', toBase: (v) => v },
  'kH/s': { dimension: 'hashrate', toBase: (v) => v * 1e3 },
  'MH/s': { dimension: 'hashrate', toBase: (v) => v * 1e6 },
  'GH/s': { dimension: 'hashrate', toBase: (v) => v * 1e9 },
  'TH/s': { dimension: 'hashrate', toBase: (v) => v * 1e12 },
  'PH/s': { dimension: 'hashrate', toBase: (v) => v * 1e15 },
  W: { dimension: 'power', toBase: (v) => v },
  kW: { dimension: 'power', toBase: (v) => v * 1e3 },
  C: { dimension: 'temperature', toBase: (v) => v },
  F: { dimension: 'temperature', toBase: (v) => ((v - 32) * 5) / 9 },
  ms: { dimension: 'duration', toBase: (v) => v },
  s: { dimension: 'duration', toBase: (v) => v * 1e3 },
  '%': { dimension: 'percent', toBase: (v) => v },
  ratio: { dimension: 'percent', toBase: (v) => v * 100 },
  MHz: { dimension: 'frequency', toBase: (v) => v },
  GHz: { dimension: 'frequency', toBase: (v) => v * 1e3 },
  rpm: { dimension: 'rpm', toBase: (v) => v },
  J: { dimension: 'energy', toBase: (v) => v },
  kJ: { dimension: 'energy', toBase: (v) => v * 1e3 },
  Wh: { dimension: 'energy', toBase: (v) => v * 3600 },
  kWh: { dimension: 'energy', toBase: (v) => v * 3.6e6 },
  count: { dimension: 'count', toBase: (v) => v },
};

/** What a snapshot field measures (its unit is the dimension's base unit). */
export function dimensionOf(field: NumericField): Dimension {
  if (field.startsWith('hashrate_')) return 'hashrate';
  if (field.endsWith('_w')) return 'power';
  if (field.endsWith('_c')) return 'temperature';
  if (field.endsWith('_pct')) return 'percent';
  if (field.endsWith('_ms')) return 'duration';
  if (field.endsWith('_mhz')) return 'frequency';
  if (field === 'fan_rpm') return 'rpm';
  if (field === 'energy_j') return 'energy';
  if (isCounterField(field) || field === 'throttle_flags') return 'count';
  return 'count';
}

/** The units a field accepts, its base unit first. */
export function unitsFor(field: NumericField): Unit[] {
  const dimension = dimensionOf(field);
  return UNITS.filter((u) => UNIT_TABLE[u].dimension === dimension);
}

/** True when `unit` measures what `field` measures. */
export function fitsField(unit: Unit, field: NumericField): boolean {
  return UNIT_TABLE[unit].dimension === dimensionOf(field);
}

/** `value` in `unit` converted to `field`'s unit (`unit` must fit; see `fitsField`). */
export function toFieldUnit(value: number, unit: Unit): number {
  return UNIT_TABLE[unit].toBase(value);
}
