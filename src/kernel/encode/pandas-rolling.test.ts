// The pandas window bounds and rolling kernels on small hand-checked cases (values from pandas 2.2.3).
// The full bit-exact comparison runs in reference.test.ts and test/conformance/encoder.test.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedWindowBounds, prepValues, rollingMedian, rollingStd } from './pandas-rolling.ts';

test('centred bounds match pandas FixedWindowIndexer (window 5, 7 rows)', () => {
  const { start, end } = fixedWindowBounds(7, 5, true);
  assert.deepEqual([...start], [0, 0, 0, 1, 2, 3, 4]);
  assert.deepEqual([...end], [3, 4, 5, 6, 7, 7, 7]);
});

test('even windows centre like pandas: offset ⌊(w−1)/2⌋, so one more row behind than ahead', () => {
  const { start, end } = fixedWindowBounds(6, 4, true);
  assert.deepEqual([...start], [0, 0, 0, 1, 2, 3]);
  assert.deepEqual([...end], [2, 3, 4, 5, 6, 6]);
});

test('trailing bounds end at the row itself', () => {
  const { start, end } = fixedWindowBounds(4, 3, false);
  assert.deepEqual([...start], [0, 0, 0, 1]);
  assert.deepEqual([...end], [1, 2, 3, 4]);
});

test('±inf become NaN before rolling, as pandas _prep_values does', () => {
  const out = prepValues(Float64Array.of(1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2));
  assert.equal(out[0], 1);
  assert.ok(Number.isNaN(out[1]) && Number.isNaN(out[2]));
  // pandas 2.2.3: Series([1, inf, 3, nan, 5]).rolling(3, min_periods=1, center=True).median()
  const med = rollingMedian(Float64Array.of(1, Number.POSITIVE_INFINITY, 3, Number.NaN, 5), 3, true);
  assert.deepEqual([...med], [1, 2, 3, 4, 5]);
});

test('rolling std: < 2 values → 0, constant window → exactly 0, ddof 1', () => {
  // pandas: Series([1, inf, 3, nan, 5]).rolling(3, min_periods=1, center=True).std() = [nan, √2, nan, √2, nan]
  const sd = rollingStd(Float64Array.of(1, Number.POSITIVE_INFINITY, 3, Number.NaN, 5), 3, true);
  assert.deepEqual([...sd], [0, Math.SQRT2, 0, Math.SQRT2, 0]);
  const constant = rollingStd(new Float64Array(50).fill(0.1), 11, true);
  assert.ok(constant.every((v) => v === 0));
  assert.deepEqual(
    [...rollingStd(Float64Array.of(1, 2, 3, 4), 4, false)],
    [0, Math.SQRT1_2, 1, Math.sqrt(5 / 3)],
  );
});

test('an all-missing window gives a NaN median and a 0 std', () => {
  const x = Float64Array.of(Number.NaN, Number.NaN, Number.NaN);
  assert.ok(rollingMedian(x, 3, true).every(Number.isNaN));
  assert.ok(rollingStd(x, 3, true).every((v) => v === 0));
});
