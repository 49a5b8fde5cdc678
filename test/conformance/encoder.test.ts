// Conformance of the reference struct-bit encoder with ../shared/vectors/encoder-vectors.json (real
// pandas 2.2.3 output of score's encode_bits): flags exactly, the short series' intermediates bit-exact.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { bitString, firstDifference } from '../../src/kernel/encode/fixture-values.ts';
import { encodeReference, encodeReferenceDetailed, FLAG_NAMES } from '../../src/kernel/encode/index.ts';

type FlagStrings = Record<'UP' | 'ACCEL' | 'RANGEEXP' | 'ZPOS', string>;

interface EncoderVectors {
  column_order_in_output: string[];
  short_series: {
    column: string;
    values: number[];
    flags: FlagStrings;
    intermediates: Record<string, number[]>;
  };
  long_series: Record<string, { values: number[]; flags: FlagStrings } | string>;
}

const vectors: EncoderVectors = JSON.parse(
  readFileSync(new URL('../../../shared/vectors/encoder-vectors.json', import.meta.url), 'utf8'),
);

function assertFlags(values: number[], expected: FlagStrings): void {
  const flags = encodeReference(values);
  assert.equal(bitString(flags.up), expected.UP, 'UP');
  assert.equal(bitString(flags.accel), expected.ACCEL, 'ACCEL');
  assert.equal(bitString(flags.rangeexp), expected.RANGEEXP, 'RANGEEXP');
  assert.equal(bitString(flags.zpos), expected.ZPOS, 'ZPOS');
}

test('short series: flags exactly', () => {
  assertFlags(vectors.short_series.values, vectors.short_series.flags);
});

test('short series: every intermediate bit-exact (median, deviation, deviation median, std, z)', () => {
  const { intermediates } = encodeReferenceDetailed(vectors.short_series.values);
  const expected = vectors.short_series.intermediates;
  const pairs: [string, Float64Array][] = [
    ['rolling_median_61_centered', intermediates.median],
    ['abs_deviation', intermediates.deviation],
    ['deviation_median_61_centered', intermediates.devMedian],
    ['rolling_std_301_centered_ddof1_nan_to_0', intermediates.sd],
    ['zscore', intermediates.z],
  ];
  assert.deepEqual(
    pairs.map(([key]) => key).sort(),
    Object.keys(expected).sort(),
    'every intermediate is checked',
  );
  for (const [key, actual] of pairs) {
    const at = firstDifference(expected[key], actual);
    assert.equal(at, -1, `${key}[${at}]: pandas ${expected[key][at]}, ours ${actual[at]}`);
  }
});

const longNames = Object.keys(vectors.long_series).filter((k) => typeof vectors.long_series[k] === 'object');

test('both long series are present', () => {
  assert.deepEqual(longNames.sort(), ['hashrate', 'temp']);
});

for (const name of longNames) {
  test(`long series ${name}: flags exactly`, () => {
    const series = vectors.long_series[name] as { values: number[]; flags: FlagStrings };
    assertFlags(series.values, series.flags);
  });
}

test('FLAG_NAMES gives the reference output column order (<col>__UP, __ACCEL, __RANGEEXP, __ZPOS)', () => {
  assert.deepEqual(
    vectors.column_order_in_output,
    ['hashrate', 'temp'].flatMap((c) => FLAG_NAMES.map((f) => `${c}__${f}`)),
  );
});
