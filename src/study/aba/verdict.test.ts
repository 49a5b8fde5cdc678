// Tests of the verdict rules: the band, the direction, and the property that no interval containing
// zero is ever called an improvement or a worsening.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { classifyEffect } from './verdict.ts';

test('band, direction and noise', () => {
  assert.equal(classifyEffect({ value: 0.2, lo: -0.3, hi: 0.7 }, 'higher', 1, 'x').verdict, 'no_effect');
  assert.equal(classifyEffect({ value: 5, lo: 4, hi: 6 }, 'higher', 1, 'x').verdict, 'improved');
  assert.equal(classifyEffect({ value: 5, lo: 4, hi: 6 }, 'lower', 1, 'x').verdict, 'worse');
  assert.equal(classifyEffect({ value: -5, lo: -6, hi: -4 }, 'higher', 1, 'x').verdict, 'worse');
  const noisy = classifyEffect({ value: 2, lo: -4, hi: 8 }, 'higher', 1, 'efficiency');
  assert.equal(noisy.verdict, 'inconclusive');
  assert.match(
    noisy.reason,
    /too noisy: efficiency \+2\.00 % \[-4\.00, 8\.00\] is ±6\.00 %, wider than the ±1 % that matters; about 36× more data/,
  );
  assert.equal(classifyEffect({ value: 1, lo: null, hi: null }, 'higher', 1, 'x').verdict, 'inconclusive');
  assert.match(
    classifyEffect({ value: 0.6, lo: 0.1, hi: 1.2 }, 'higher', 1, 'x').reason,
    /smaller than the 1 % that matters/,
  );
});

test('property: an interval that contains 0 is never improved or worse', () => {
  fc.assert(
    fc.property(
      fc.double({ min: -100, max: 0, noNaN: true }),
      fc.double({ min: 0, max: 100, noNaN: true }),
      fc.double({ min: 0.01, max: 20, noNaN: true }),
      fc.constantFrom('higher' as const, 'lower' as const),
      (lo, hi, band, better) => {
        const v = classifyEffect({ value: (lo + hi) / 2, lo, hi }, better, band, 'x').verdict;
        assert.ok(v === 'no_effect' || v === 'inconclusive', v);
      },
    ),
    { seed: 21, numRuns: 1000 },
  );
});
