// WindowMedian against sorting each window: ties, gaps and window sizes 1…40 (fast-check, seeded).
// Ties matter: deleting a tied value from the wrong heap is the classic sliding-median bug.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { WindowMedian } from './window-median.ts';

function bruteMedian(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m] + s[m - 1]) / 2;
}

test('median of an empty window is NaN, of one value the value, of two their mean', () => {
  const med = new WindowMedian(4);
  assert.ok(Number.isNaN(med.median()));
  med.insert(0, 3);
  assert.equal(med.median(), 3);
  med.insert(1, 8);
  assert.equal(med.median(), 5.5);
  med.remove(0);
  assert.equal(med.median(), 8);
  med.remove(0); // already empty slot: no-op
  assert.equal(med.size, 1);
  med.clear();
  assert.ok(Number.isNaN(med.median()));
});

test('removing one of several tied values keeps the multiset exact', () => {
  const med = new WindowMedian(5);
  [1, 5, 5, 5, 9].forEach((v, slot) => {
    med.insert(slot, v);
  });
  med.remove(3);
  assert.equal(med.median(), 5); // {1,5,5,9}
  med.remove(1);
  assert.equal(med.median(), 5); // {1,5,9}
  med.remove(2);
  assert.equal(med.median(), 5); // {1,9}
});

/** Slides a window of w over xs with `step` (which updates slot i % w for sample i) against sorting. */
function slidesLikeSorting(step: (med: WindowMedian, i: number, x: number | null, w: number) => void): void {
  const sample = fc.oneof(
    fc.constant(null),
    fc.integer({ min: -3, max: 3 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.array(sample, { maxLength: 300, size: 'max' }),
      (w, xs) => {
        const med = new WindowMedian(w);
        for (let i = 0; i < xs.length; i++) {
          step(med, i, xs[i], w);
          const window = xs.slice(Math.max(0, i - w + 1), i + 1).filter((v): v is number => v !== null);
          const expected = bruteMedian(window);
          const got = med.median();
          if (!Object.is(got, expected) && !(got === 0 && expected === 0)) return false;
          if (med.size !== window.length) return false;
        }
        return true;
      },
    ),
    { seed: 20240611, numRuns: 300 },
  );
}

test('sliding median equals sorting the window (ties, gaps, every window size)', () => {
  slidesLikeSorting((med, i, x, w) => {
    if (i >= w) med.remove(i % w);
    if (x !== null) med.insert(i % w, x);
  });
});

test('replace(slot, x) equals remove + insert: sliding with replace matches sorting each window', () => {
  slidesLikeSorting((med, i, x, w) => {
    if (x === null) med.remove(i % w);
    else med.replace(i % w, x);
  });
});
