// Reference encoder against fixtures/pandas-extra.json (real pandas output: gaps, ±inf, ties, runs)
// plus the missing-value and row-0 rules of sep-reference.md §4.1.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { FixtureNumber } from './fixture-values.ts';
import { bitString, decodeFixtureInput, decodeFixtureNumber, firstDifference } from './fixture-values.ts';
import { encodeReference, encodeReferenceDetailed } from './reference.ts';

interface ExtraCase {
  name: string;
  values: FixtureNumber[];
  flags: Record<'UP' | 'ACCEL' | 'RANGEEXP' | 'ZPOS', string>;
  intermediates: Record<'median' | 'deviation' | 'dev_median' | 'sd' | 'z', FixtureNumber[]>;
}

// Produced by fixtures/make-pandas-extra.py with pandas 2.2.3 / numpy 2.0.2 (the shared vectors' versions).
const extra: { cases: ExtraCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/pandas-extra.json', import.meta.url), 'utf8'),
);

for (const c of extra.cases) {
  test(`pandas extra vector ${c.name}: flags and every intermediate bit-exact`, () => {
    const { flags, intermediates } = encodeReferenceDetailed(decodeFixtureInput(c.values));
    assert.equal(bitString(flags.up), c.flags.UP, 'UP');
    assert.equal(bitString(flags.accel), c.flags.ACCEL, 'ACCEL');
    assert.equal(bitString(flags.rangeexp), c.flags.RANGEEXP, 'RANGEEXP');
    assert.equal(bitString(flags.zpos), c.flags.ZPOS, 'ZPOS');
    const ours = {
      median: intermediates.median,
      deviation: intermediates.deviation,
      dev_median: intermediates.devMedian,
      sd: intermediates.sd,
      z: intermediates.z,
    };
    for (const [key, actual] of Object.entries(ours)) {
      const expected = c.intermediates[key as keyof ExtraCase['intermediates']].map(decodeFixtureNumber);
      const at = firstDifference(expected, actual);
      assert.equal(at, -1, `${key}[${at}]: pandas ${expected[at]}, ours ${actual[at]}`);
    }
  });
}

test('an empty series gives empty flag arrays (the reference skips the column)', () => {
  const flags = encodeReference([]);
  assert.deepEqual(
    [flags.up.length, flags.accel.length, flags.rangeexp.length, flags.zpos.length],
    [0, 0, 0, 0],
  );
});

test('null and NaN are the same missing value', () => {
  const a = encodeReferenceDetailed([1, null, 3, 2, null, 5]);
  const b = encodeReferenceDetailed([1, Number.NaN, 3, 2, Number.NaN, 5]);
  assert.deepEqual(a.flags, b.flags);
  assert.equal(firstDifference(a.intermediates.z, b.intermediates.z), -1);
});

test('row 0 never has UP, ACCEL or RANGEEXP; a difference next to a gap is 0', () => {
  const { up, accel } = encodeReference([5, 6, null, 8, 9, 11]);
  assert.equal(up[0], 0);
  assert.deepEqual([...up], [0, 1, 0, 0, 1, 1]);
  // ddx needs three present rows: only row 5 (dx 2 after dx 1) and row 1 (dx 1 after dx[0] = 0).
  assert.deepEqual([...accel], [0, 1, 0, 0, 0, 1]);
});

test('ZPOS depends on the sign of x − median only, so sd rounding can never flip it', () => {
  const xs = Array.from({ length: 400 }, (_, i) => 1e9 + ((i * 7919) % 13) * 1e-3);
  const { flags, intermediates } = encodeReferenceDetailed(xs);
  for (let i = 0; i < xs.length; i++) {
    assert.equal(flags.zpos[i], xs[i] - intermediates.median[i] > 0 ? 1 : 0);
  }
});
