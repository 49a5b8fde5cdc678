// Tests of the autocorrelation summary and the circular block bootstrap: white noise vs AR(1),
// exact unbiasedness of the resampled mean, and 95 % coverage on AR(1) noise with a known mean.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  blockBootstrapMean,
  CircularBlockResampler,
  type SeededRng,
  seededRng,
  summarizeAutocorrelation,
  summarizeReplicates,
} from './index.ts';

/** Approximately standard normal: sum of 12 uniforms − 6. */
function gauss(rng: SeededRng): number {
  let s = -6;
  for (let k = 0; k < 12; k++) s += rng.next();
  return s;
}

/** AR(1) with coefficient phi, unit innovation, started from its stationary distribution. */
function ar1(rng: SeededRng, n: number, phi: number, mean = 0): number[] {
  let x = gauss(rng) / Math.sqrt(1 - phi * phi);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = phi * x + gauss(rng);
    out.push(mean + x);
  }
  return out;
}

test('white noise: τ ≈ 1 and short blocks; AR(1) 0.8: τ near (1 + φ)/(1 − φ) = 9 and longer blocks', () => {
  const white = summarizeAutocorrelation([ar1(seededRng(1), 2000, 0)]);
  assert.ok(white.tau < 1.5, `tau ${white.tau}`);
  assert.ok(white.blockLength <= 3, `block ${white.blockLength}`);
  const red = summarizeAutocorrelation([ar1(seededRng(2), 2000, 0.8)]);
  assert.ok(red.tau > 5 && red.tau < 14, `tau ${red.tau}`);
  assert.ok(red.blockLength >= 5, `block ${red.blockLength}`);
  // Pooling phases: same answer shape, never bridging series.
  const pooled = summarizeAutocorrelation([ar1(seededRng(3), 700, 0.8), ar1(seededRng(4), 700, 0.8)]);
  assert.ok(pooled.n === 1400 && pooled.tau > 4);
  assert.deepEqual(summarizeAutocorrelation([[1, 2]]).blockLength, 1);
});

test('the resampled mean is unbiased (circular blocks) and a constant stays constant', () => {
  const x = ar1(seededRng(5), 101, 0.5, 10);
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const res = new CircularBlockResampler([x], 13);
  const rng = seededRng(6);
  const t = new Float64Array(1);
  let acc = 0;
  const reps = 20_000;
  for (let r = 0; r < reps; r++) {
    res.draw(rng, t);
    acc += t[0] / x.length;
  }
  assert.ok(Math.abs(acc / reps - mean) < 0.01, `${acc / reps} vs ${mean}`);
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 1, max: 80 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      (n, l, c) => {
        const r = new CircularBlockResampler([new Array(n).fill(c), new Array(n).fill(1)], l);
        const tot = new Float64Array(2);
        r.draw(seededRng(n), tot);
        assert.equal(tot[1], n, 'each replicate holds exactly n values');
        assert.ok(Math.abs(tot[0] / n - c) <= 1e-9 * Math.max(1, Math.abs(c)));
      },
    ),
    { seed: 8, numRuns: 200 },
  );
});

test('95 % intervals cover the known mean of AR(1) noise about 95 % of the time', () => {
  const trials = 200;
  let covered = 0;
  let naive = 0;
  for (let i = 0; i < trials; i++) {
    const rng = seededRng(100, `series ${i}`);
    const x = ar1(rng, 400, 0.7, 5);
    const ac = summarizeAutocorrelation([x]);
    const b = blockBootstrapMean(x, ac.blockLength, 300, rng);
    assert.ok(b !== null && b.se !== null);
    const half = 1.96 * b.se;
    if (Math.abs(b.mean - 5) <= half) covered++;
    // The iid standard error ignores autocorrelation and should cover far less often.
    const sd = Math.sqrt(x.reduce((a, v) => a + (v - b.mean) ** 2, 0) / (x.length - 1));
    if (Math.abs(b.mean - 5) <= (1.96 * sd) / Math.sqrt(x.length)) naive++;
  }
  const rate = covered / trials;
  assert.ok(rate >= 0.88 && rate <= 0.99, `coverage ${rate}`);
  assert.ok(naive / trials < 0.75, `iid coverage ${naive / trials}`);
});

test('replicate summary drops non-finite values and needs two', () => {
  const s = summarizeReplicates(Float64Array.from([1, 2, 3, Number.NaN, 4, 5]), 0.5);
  assert.equal(s.used, 5);
  assert.equal(s.lo, 2);
  assert.equal(s.hi, 4);
  assert.equal(summarizeReplicates([1], 0.95).se, null);
});
