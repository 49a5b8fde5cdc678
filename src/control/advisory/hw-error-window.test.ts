// The hardware-error window: rate over the trailing window, nothing before a minute is covered,
// restarts of the counter, and readings that do not move time forward.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HwErrorWindow, MIN_SPAN_MS } from './hw-error-window.ts';

test('no rate until a minute is covered, then errors per minute over the window', () => {
  const w = new HwErrorWindow();
  for (let s = 0; s < 60; s++) w.push(s * 1000, s);
  assert.deepEqual(w.rate(600_000), { perMin: null, count: null, spanMs: null });
  w.push(MIN_SPAN_MS, 60);
  assert.deepEqual(w.rate(600_000), { perMin: 60, count: 60, spanMs: 60_000 });
});

test('old readings leave the window', () => {
  const w = new HwErrorWindow();
  for (let s = 0; s <= 3000; s++) w.push(s * 1000, Math.min(s, 1000)); // 1/s, then none
  const r = w.rate(600_000);
  assert.equal(r.count, 0);
  assert.equal(r.perMin, 0);
});

test('a counter that goes down starts the window again; null and repeated times are skipped', () => {
  const w = new HwErrorWindow();
  for (let s = 0; s <= 120; s++) w.push(s * 1000, 500 + s);
  w.push(121_000, 0);
  assert.deepEqual(w.rate(600_000), { perMin: null, count: null, spanMs: null });
  w.push(121_000, 5);
  w.push(150_000, null);
  w.push(181_000, 6);
  assert.deepEqual(w.rate(600_000), { perMin: 6, count: 6, spanMs: 60_000 });
});

/** The window as plain arrays (its first implementation): the model the ring must match. */
class ArrayWindow {
  ts: number[] = [];
  values: number[] = [];
  head = 0;
  readonly spacingMs: number;
  constructor(spacingMs = 0) {
    this.spacingMs = spacingMs;
  }
  push(tsMs: number, counter: number | null): void {
    if (counter === null || !Number.isFinite(counter)) return;
    const n = this.ts.length;
    if (n > this.head) {
      if (tsMs <= this.ts[n - 1]) return;
      if (counter < this.values[n - 1]) [this.ts, this.values, this.head] = [[], [], 0];
      else if (n - this.head >= 2 && this.ts[n - 1] - this.ts[n - 2] < this.spacingMs) {
        this.ts[n - 1] = tsMs;
        this.values[n - 1] = counter;
        return;
      }
    }
    this.ts.push(tsMs);
    this.values.push(counter);
  }
  rate(windowMs: number) {
    const n = this.ts.length;
    if (n === this.head) return { perMin: null, count: null, spanMs: null };
    const newest = this.ts[n - 1];
    while (this.head < n - 1 && this.ts[this.head] < newest - windowMs) this.head += 1;
    const spanMs = newest - this.ts[this.head];
    if (spanMs < MIN_SPAN_MS) return { perMin: null, count: null, spanMs: null };
    const count = this.values[n - 1] - this.values[this.head];
    return { perMin: (count / spanMs) * 60_000, count, spanMs };
  }
}

test('the ring gives the rates of the plain window over random readings, gaps, restarts and growth', () => {
  const step = fc.record({
    dtMs: fc.constantFrom(-1000, 0, 50, 100, 500, 1000, 1000, 1000, 7000, 90_000),
    errors: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom(-50, Number.NaN) },
    ),
    isNull: fc.integer({ min: 0, max: 20 }).map((x) => x === 0),
    measure: fc.integer({ min: 0, max: 3 }).map((x) => x !== 0),
  });
  fc.assert(
    fc.property(
      fc.constantFrom(60_000, 120_000, 600_000),
      fc.array(step, { maxLength: 1500 }),
      (win, steps) => {
        const ring = new HwErrorWindow();
        const model = new ArrayWindow();
        let ts = 0;
        let counter = 0;
        for (const s of steps) {
          ts += s.dtMs;
          counter = Number.isNaN(s.errors) ? counter : Math.max(0, counter + s.errors);
          const reading = s.isNull ? null : Number.isNaN(s.errors) ? Number.NaN : counter;
          ring.push(ts, reading);
          model.push(ts, reading);
          if (s.measure) {
            assert.deepEqual(ring.rate(win), model.rate(win));
            assert.deepEqual([ring.perMin, ring.count, ring.spanMs], Object.values(model.rate(win)));
          }
        }
      },
    ),
    { numRuns: 300, seed: 77 },
  );
});

test('times and counters of any size or kind come back exactly (int32 offsets, rebased, or float64)', () => {
  const step = fc.record({
    dtMs: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(1000, 1000, 4000, 7000, 90_000) },
      { weight: 1, arbitrary: fc.constantFrom(-1000, 0.5, 2 ** 31, 2 ** 32 + 3, 1e15, Number.NaN) },
    ),
    errors: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom(-50, 0.25, 2 ** 31 - 1, 2 ** 31, 5e15, 2 ** 53, Number.NaN) },
    ),
    zero: fc.integer({ min: 0, max: 30 }).map((x) => x === 0),
    measure: fc.integer({ min: 0, max: 3 }).map((x) => x !== 0),
  });
  fc.assert(
    fc.property(
      fc.constantFrom(0, 4688),
      fc.constantFrom(60_000, 600_000, 1e16),
      fc.constantFrom(0, 1_795_776_000_000, -(2 ** 40)),
      fc.array(step, { maxLength: 600 }),
      (spacingMs, win, ts0, steps) => {
        const ring = new HwErrorWindow(spacingMs);
        const model = new ArrayWindow(spacingMs);
        let ts = ts0;
        let counter = 0;
        for (const s of steps) {
          ts = Number.isNaN(s.dtMs) ? ts : ts + s.dtMs;
          counter = Number.isNaN(s.errors) ? counter : Math.max(0, counter + s.errors);
          // -0 where the counter is 0 (a value an Int32 slot could not give back).
          const reading = Number.isNaN(s.errors) ? Number.NaN : s.zero && counter === 0 ? -0 : counter;
          const at = Number.isNaN(s.dtMs) ? Number.NaN : ts;
          ring.push(at, reading);
          model.push(at, reading);
          if (s.measure) assert.deepEqual(ring.rate(win), model.rate(win));
        }
        assert.deepEqual(ring.rate(win), model.rate(win));
      },
    ),
    { numRuns: 400, seed: 5 },
  );
});

test('a -0 counter and a fractional time come back as they were given', () => {
  for (const [at, reading] of [
    [60_000, -0],
    [60_000.5, 3],
  ] as const) {
    const ring = new HwErrorWindow();
    const model = new ArrayWindow();
    for (const [t, c] of [
      [0, 0],
      [at, reading],
    ] as const) {
      ring.push(t, c);
      model.push(t, c);
    }
    assert.deepEqual(ring.rate(600_000), model.rate(600_000));
    assert.notEqual(ring.rate(600_000).count, null);
  }
});

test('the ring wraps, and grows with its oldest reading anywhere in it', () => {
  const ring = new HwErrorWindow();
  const model = new ArrayWindow();
  let ts = 0;
  for (let s = 0; s <= 1000; s++, ts += 1000) {
    ring.push(ts, s);
    model.push(ts, s);
    assert.deepEqual(ring.rate(120_000), model.rate(120_000));
  }
  for (let i = 0; i < 300; i++, ts += 100) {
    ring.push(ts, 1000 + 2 * i);
    model.push(ts, 1000 + 2 * i);
  }
  assert.notEqual(ring.rate(120_000).perMin, null);
  assert.deepEqual(ring.rate(120_000), model.rate(120_000));
  assert.deepEqual(ring.rate(60_000), model.rate(60_000));
});

test('a spaced window keeps readings at least the spacing apart and gives the exact rate of the span it kept', () => {
  const spaced = new HwErrorWindow(5000);
  const every = new HwErrorWindow();
  let counter = 0;
  for (let s = 0; s <= 900; s += 1) {
    if (s % 7 === 0) counter += 1;
    spaced.push(1_000_000 + s * 1000, counter);
    every.push(1_000_000 + s * 1000, counter);
  }
  const a = spaced.rate(600_000);
  const b = every.rate(600_000);
  assert.ok(a.spanMs !== null && b.spanMs !== null && a.count !== null && a.perMin !== null);
  // At most one spacing shorter than the full-resolution span, and count and span belong together.
  assert.ok(a.spanMs <= b.spanMs && a.spanMs > b.spanMs - 5000, `${a.spanMs} vs ${b.spanMs}`);
  assert.equal(a.perMin, (a.count / a.spanMs) * 60_000);
  assert.ok(Math.abs(a.perMin - 60 / 7) < 0.2);
  // A counter that goes down starts the window again, as without spacing.
  spaced.push(1_000_000 + 901_000, 0);
  assert.equal(spaced.rate(600_000).perMin, null);
});
