// Test support: decodes the JSON conventions of the encoder vectors (null = NaN, "Infinity" = +inf)
// so the reference unit test and test/conformance/encoder.test.ts read vectors the same way.

import { RigtuneError } from '../../core/errors.ts';

/** One number as stored in a fixture: null for NaN, a string for ±inf. */
export type FixtureNumber = number | string | null;

/** Fixture value → float (null → NaN). */
export function decodeFixtureNumber(v: FixtureNumber): number {
  if (v === null) return Number.NaN;
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw new RigtuneError('RT_KERNEL_ARGUMENT', `not a fixture number: ${v}`);
}

/** Fixture input series → encoder input (null stays null: the encoders' missing value). */
export function decodeFixtureInput(values: readonly FixtureNumber[]): (number | null)[] {
  return values.map((v) => (v === null ? null : decodeFixtureNumber(v)));
}

/** 0/1 bytes → "0101…" as the vectors store flags. */
export function bitString(bits: Uint8Array): string {
  let s = '';
  for (const b of bits) s += b === 1 ? '1' : '0';
  return s;
}

/** Index of the first element where two float series differ (NaN equals NaN, -0 equals 0), or -1. */
export function firstDifference(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (expected.length !== actual.length) return Math.min(expected.length, actual.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === a || (Number.isNaN(e) && Number.isNaN(a))) continue;
    return i;
  }
  return -1;
}
