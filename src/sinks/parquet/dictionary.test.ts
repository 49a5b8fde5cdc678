// The dictionary rule is hyparquet-writer's useDictionary, decision for decision: the same entries in
// the same order and the same index per cell, or plain values where it would write plain values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { useDictionary } from 'hyparquet-writer/src/dictionary.js';
import { numberDictionary, stringDictionary } from './dictionary.ts';

/** What useDictionary decides for the same cells (null where it writes plain values). */
function expected(
  cells: (number | string | null)[],
  type: 'INT32' | 'INT64' | 'BYTE_ARRAY',
  required: boolean,
) {
  const values = type === 'INT64' ? cells.map((v) => (v === null ? null : BigInt(v))) : cells;
  const { dictionary, indexes } = useDictionary(values, type, undefined, undefined, undefined, required);
  if (dictionary === undefined || indexes === undefined) return null;
  return {
    dictionary: dictionary.map((v) => (typeof v === 'bigint' ? Number(v) : v)),
    indexes: Array.from({ length: cells.length }, (_, i) => indexes[i] ?? -1),
  };
}

function actualNumbers(cells: (number | null)[], type: 'INT32' | 'INT64', required: boolean) {
  const got = numberDictionary(
    Float64Array.from(cells, (v) => v ?? Number.NaN),
    cells.length,
    type,
    required,
  );
  return got === null ? null : { dictionary: got.dictionary, indexes: [...got.indexes] };
}

function actualStrings(cells: (string | null)[], required: boolean) {
  const got = stringDictionary(cells, cells.length, required);
  return got === null ? null : { dictionary: got.dictionary, indexes: [...got.indexes] };
}

/** Cells around the rule's edges: runs, a few or many distinct values, a sample blind to repeats. */
const shapes = (n: number): Record<string, (i: number) => number> => ({
  constant: () => 7,
  runsOf25: (i) => Math.floor(i / 25),
  cycle25: (i) => i % 25,
  runsOf10: (i) => Math.floor(i / 10), // the 1000-cell sample sees only distinct values
  distinct: (i) => i * 3,
  halfDistinct: (i) => (i < n / 2 ? i : 0),
  fewWide: (i) => (i % 4) * 1e12,
  // Runs a little longer than the sample's stride: the sample's distinct share crosses 90 %.
  ...Object.fromEntries(
    [10.5, 11, 11.25, 11.5, 11.75, 12, 13].map((l) => [`runsOf${l}`, (i: number) => Math.floor(i / l)]),
  ),
});

test('numbers: the same dictionary, indexes and decision as useDictionary', () => {
  for (const n of [1, 7, 999, 1000, 1001, 3000, 10_000]) {
    for (const [name, shape] of Object.entries(shapes(n))) {
      const cells = Array.from({ length: n }, (_, i) => shape(i));
      for (const type of ['INT32', 'INT64'] as const) {
        assert.deepEqual(
          actualNumbers(cells, type, true),
          expected(cells, type, true),
          `${name} ${n} ${type}`,
        );
      }
      const holes = cells.map((v, i) => (i % 3 === 1 ? null : v));
      assert.deepEqual(
        actualNumbers(holes, 'INT32', false),
        expected(holes, 'INT32', false),
        `${name} ${n} nulls`,
      );
    }
  }
});

test('strings: the same dictionary, indexes and decision as useDictionary', () => {
  for (const n of [1, 7, 1000, 3000, 10_000]) {
    for (const [name, shape] of Object.entries(shapes(n))) {
      const cells = Array.from({ length: n }, (_, i) => `gpu-${shape(i)}`);
      assert.deepEqual(actualStrings(cells, true), expected(cells, 'BYTE_ARRAY', true), `${name} ${n}`);
      const holes = cells.map((v, i) => (i % 5 === 0 ? null : v));
      assert.deepEqual(
        actualStrings(holes, false),
        expected(holes, 'BYTE_ARRAY', false),
        `${name} ${n} nulls`,
      );
    }
  }
});

test('any cells: the same decision as useDictionary (property)', () => {
  const cell = fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 40 }), fc.constant(-0), fc.integer());
  fc.assert(
    fc.property(fc.array(cell, { maxLength: 1500 }), fc.nat(4), (cells, width) => {
      const nums = cells.map((v) => (v === null || width === 0 ? v : Math.floor(v / width) * width));
      assert.deepEqual(actualNumbers(nums, 'INT32', false), expected(nums, 'INT32', false));
      const strings = nums.map((v) => (v === null ? null : `${'x'.repeat(width)}${v}`));
      assert.deepEqual(actualStrings(strings, false), expected(strings, 'BYTE_ARRAY', false));
    }),
    { seed: 7, numRuns: 300 },
  );
});

test('a null in a required column throws, as in the writer', () => {
  assert.throws(() => actualNumbers([1, 1, null, 1], 'INT32', true), /required value/);
  assert.throws(() => actualStrings(['a', null, 'a', 'a'], true), /required value/);
});
