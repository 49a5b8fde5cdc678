// TrailingMoments against a two-pass std of each trailing window, the cancellation guard, and the
// recompute count that backs the O(1) amortised claim (counts, not timings).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TrailingMoments } from './trailing-moments.ts';

/** Two-pass sample std of the finite values (0 with fewer than 2). */
function bruteSd(values: readonly number[]): number {
  const xs = values.filter((v) => !Number.isNaN(v));
  if (xs.length < 2) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
}

test('fewer than two values give 0; a constant window gives exactly 0', () => {
  const m = new TrailingMoments(5);
  assert.equal(m.sd(), 0);
  m.push(0.1);
  assert.equal(m.sd(), 0);
  for (let i = 0; i < 20; i++) m.push(0.1);
  assert.equal(m.sd(), 0);
  m.push(Number.NaN);
  m.push(0.1);
  assert.equal(m.sd(), 0);
  m.push(0.3);
  assert.ok(m.sd() > 0);
});

test('a huge outlier leaving the window does not leave cancellation residue behind', () => {
  const m = new TrailingMoments(4);
  for (const x of [1e15, 1, 2, 3]) m.push(x);
  m.push(4); // 1e15 leaves: Welford alone would keep an error of order 1e15·ε·1e15
  assert.equal(m.sd(), bruteSd([1, 2, 3, 4]));
});

test('matches a two-pass std of the trailing window (gaps, ties, runs, offsets)', () => {
  const run = fc.record({
    value: fc.oneof(
      fc.constant(Number.NaN),
      fc.integer({ min: -3, max: 3 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    ),
    length: fc.integer({ min: 1, max: 30 }),
    jitter: fc.boolean(),
  });
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 60 }),
      fc.constantFrom(0, 1e9),
      fc.array(run, { maxLength: 40, size: 'max' }),
      (w, offset, runs) => {
        const xs: number[] = [];
        for (const r of runs) {
          for (let k = 0; k < r.length; k++) xs.push(offset + r.value + (r.jitter ? (k % 3) * 0.25 : 0));
        }
        const m = new TrailingMoments(w);
        for (let i = 0; i < xs.length; i++) {
          m.push(xs[i]);
          const window = xs.slice(Math.max(0, i - w + 1), i + 1);
          const expected = bruteSd(window);
          const finite = window.filter((v) => !Number.isNaN(v));
          const spread = finite.length ? Math.max(...finite) - Math.min(...finite) : 0;
          if (spread === 0 && m.sd() !== 0) return false;
          // Welford/two-pass rounding: relative to the window's spread and magnitude.
          const scale = Math.max(...finite.map(Math.abs), 1);
          if (Math.abs(m.sd() - expected) > 1e-9 * spread + 1e-12 * scale) return false;
        }
        return true;
      },
    ),
    { seed: 20240611, numRuns: 200 },
  );
});

test('recomputes stay amortised: one per window on ordinary data, plus one per departing outlier', () => {
  let seed = 12345;
  const noise = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const ordinary = new TrailingMoments(301);
  for (let i = 0; i < 20_000; i++) ordinary.push(1e9 + noise());
  assert.ok(ordinary.recomputes <= Math.floor(20_000 / 301) + 2, `${ordinary.recomputes}`);
  const spiky = new TrailingMoments(301);
  for (let i = 0; i < 20_000; i++) spiky.push(i % 500 === 0 ? 1e7 : noise());
  assert.ok(spiky.recomputes <= Math.floor(20_000 / 301) + 40 + 2, `${spiky.recomputes}`);
});
