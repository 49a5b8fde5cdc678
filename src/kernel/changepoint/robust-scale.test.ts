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

/** The plain O(window) recomputation the incremental RobustScale replaced: three selections a push. */
class ReferenceScale {
  readonly values: number[] = [];
  readonly diffs: { d: number; at: number }[] = [];
  base = -Infinity;
  last = 0;
  scale = 0;
  level = 0;

  readonly window: number;
  readonly minRelative: number;

  constructor(window: number, minRelative: number) {
    this.window = window;
    this.minRelative = minRelative;
  }

  push(x: number, index: number): void {
    if (this.values.length > 0 || this.diffs.length > 0) this.diffs.push({ d: x - this.last, at: index });
    if (this.diffs.length > this.window) this.diffs.shift();
    this.values.push(x);
    if (this.values.length > this.window) this.values.shift();
    this.last = x;
    const med = (xs: number[]) => medianInPlace(Float64Array.from(xs), xs.length);
    this.level = med(this.values.slice(-5).reverse()); // newest first, as the detector always did
    let floor = Math.max(this.minRelative * med(this.values.map(Math.abs)), 1e-12);
    if (this.diffs.length === 0) {
      this.scale = floor;
      return;
    }
    const fresh = this.diffs.filter((e) => e.at > this.base && e.d !== 0).length;
    const after = fresh >= 10 ? this.base : -Infinity;
    const used = this.diffs.filter((e) => e.d !== 0 && e.at > after).map((e) => e.d);
    if (used.length === 0) {
      this.scale = floor;
      return;
    }
    floor = Math.max(floor, Math.min(...used.map(Math.abs)) / Math.sqrt(12));
    const centre = med(used);
    this.scale = Math.max((1.4826 * med(used.map((d) => Math.abs(d - centre)))) / Math.SQRT2, floor);
  }
}

test('the incremental scale equals the plain recomputation bit for bit (property)', () => {
  const step = fc.oneof(
    fc.record({ kind: fc.constant('push' as const), x: fc.integer({ min: -3, max: 3 }) }),
    fc.record({ kind: fc.constant('push' as const), x: fc.double({ min: -1e3, max: 1e3, noNaN: true }) }),
    fc.record({ kind: fc.constant('repeat' as const), x: fc.constant(0) }),
    fc.record({ kind: fc.constant('rebase' as const), x: fc.integer({ min: 0, max: 30 }) }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 4, max: 12 }), fc.array(step, { maxLength: 120 }), (window, steps) => {
      const fast = new RobustScale(window, 1e-3);
      const slow = new ReferenceScale(window, 1e-3);
      let index = 0;
      let last = 0;
      for (const s of steps) {
        index += 1;
        if (s.kind === 'rebase') {
          fast.rebase(index - s.x);
          slow.base = index - s.x;
          continue;
        }
        const x = s.kind === 'repeat' ? last : s.x;
        last = x;
        fast.push(x, index);
        slow.push(x, index);
        if (!Object.is(fast.scale, slow.scale) || !Object.is(fast.level, slow.level)) return false;
      }
      return true;
    }),
    { numRuns: 500 },
  );
});

test('a wide window (two-byte slots) equals the plain recomputation bit for bit', () => {
  const g = gaussian(4);
  const fast = new RobustScale(300, 1e-3);
  const slow = new ReferenceScale(300, 1e-3);
  let held = 0;
  for (let index = 0; index < 900; index += 1) {
    if (index === 450) {
      fast.rebase(440);
      slow.base = 440;
    }
    if (index % 3 === 0) held = Math.round(5 * g());
    const x = index < 600 ? 20 + g() : held;
    fast.push(x, index);
    slow.push(x, index);
    assert.ok(Object.is(fast.scale, slow.scale) && Object.is(fast.level, slow.level), `at ${index}`);
  }
});

test('unindexed, an observation is indexed by its ordinal: same results, no indices kept (property)', () => {
  const step = fc.oneof(
    fc.record({ rebase: fc.constant(false), x: fc.integer({ min: -3, max: 3 }) }),
    fc.record({ rebase: fc.constant(false), x: fc.double({ min: -1e3, max: 1e3, noNaN: true }) }),
    fc.record({ rebase: fc.constant(true), x: fc.integer({ min: 0, max: 30 }) }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 4, max: 12 }), fc.array(step, { maxLength: 120 }), (window, steps) => {
      const indexed = new RobustScale(window, 1e-3);
      const unindexed = new RobustScale(window, 1e-3, false);
      for (const s of steps) {
        if (s.rebase) {
          indexed.rebase(indexed.count - 1 - s.x);
          unindexed.rebase(unindexed.count - 1 - s.x);
          continue;
        }
        indexed.push(s.x, indexed.count);
        unindexed.push(s.x, Number.NaN);
        if (!Object.is(indexed.scale, unindexed.scale) || !Object.is(indexed.level, unindexed.level))
          return false;
      }
      return true;
    }),
    { numRuns: 300 },
  );
  assert.ok(RobustScale.sizeOf(100, false).f64 < RobustScale.sizeOf(100).f64);
});

test('reset forgets every observation: the scale replays as new', () => {
  const g = gaussian(5);
  const values = Array.from({ length: 150 }, (_, i) => (i < 70 ? 0 : 10) + g());
  const reused = new RobustScale(50, 1e-3);
  for (let i = 0; i < 80; i += 1) reused.push(3 * g(), i);
  reused.rebase(60);
  reused.reset();
  const fresh = new RobustScale(50, 1e-3);
  for (const [i, x] of values.entries()) {
    if (i === 75) {
      reused.rebase(70);
      fresh.rebase(70);
    }
    reused.push(x, i);
    fresh.push(x, i);
    assert.ok(Object.is(reused.scale, fresh.scale) && Object.is(reused.level, fresh.level));
  }
  assert.equal(reused.count, 150);
});
