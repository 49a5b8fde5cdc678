// Tests of the trailing robust noise scale and level that the detector's priors are measured in.
// Checks robustness to shifts and spikes, the resolution floor, and the quickselect median.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { medianInPlace, RobustScale } from './robust-scale.ts';

function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

test('the scale estimates the noise standard deviation', () => {
  const g = gaussian(1);
  const r = new RobustScale(100, 1e-3);
  for (let i = 0; i < 500; i += 1) r.push(50 + 2 * g(), i);
  assert.ok(Math.abs(r.scale - 2) < 0.4, `scale ${r.scale}`);
});

test('a level shift, a trend and a spike barely move the scale', () => {
  const g = gaussian(2);
  const r = new RobustScale(100, 1e-3);
  for (let i = 0; i < 100; i += 1) r.push(0.3 * i + (i >= 60 ? 40 : 0) + (i === 30 ? 500 : 0) + g(), i);
  assert.ok(Math.abs(r.scale - 1) < 0.3, `scale ${r.scale}`);
});

test('after rebase the scale follows the new segment once it has enough differences', () => {
  const g = gaussian(3);
  const r = new RobustScale(100, 0);
  for (let i = 0; i < 60; i += 1) r.push(0.05 * g(), i);
  r.rebase(60);
  for (let i = 60; i < 65; i += 1) r.push(100 + 2 * g(), i);
  assert.ok(r.scale < 0.2, `still the old scale: ${r.scale}`);
  for (let i = 65; i < 80; i += 1) r.push(100 + 2 * g(), i);
  assert.ok(Math.abs(r.scale - 2) < 0.8, `new scale ${r.scale}`);
});

test('level is the median of the last five observations', () => {
  const r = new RobustScale(10, 0);
  for (const [i, x] of [1, 2, 3, 100, 4, 5].entries()) r.push(x, i);
  assert.equal(r.level, 4);
  assert.equal(r.count, 6);
});

test('integer readings give at least the quantisation noise; a constant gives the relative floor', () => {
  const r = new RobustScale(50, 0);
  for (let i = 0; i < 50; i += 1) r.push(i % 2 === 0 ? 60 : 61, i);
  assert.ok(r.scale >= 1 / Math.sqrt(12) - 1e-12);
  const c = new RobustScale(50, 1e-3);
  for (let i = 0; i < 50; i += 1) c.push(300, i);
  assert.ok(Math.abs(c.scale - 0.3) < 1e-12);
});

test('medianInPlace agrees with sorting', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }),
      (xs) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const m = sorted.length >> 1;
        const expected = sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
        return medianInPlace(Float64Array.from(xs), xs.length) === expected;
      },
    ),
  );
});
