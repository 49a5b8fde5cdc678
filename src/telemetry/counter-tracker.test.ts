// Tests of counter rates: per-second rate from deltas, resets give null (never negative), gaps give
// null rate but a delta, missing readings are skipped; property: rates are never negative.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../core/errors.ts';
import { COUNTER_SLAB_SIZE, CounterTracker } from './counter-tracker.ts';

test('rate per second from the delta since the previous reading', () => {
  const c = new CounterTracker();
  assert.deepEqual(c.update(0, 100), { delta: null, ratePerS: null, isReset: false, isGap: false });
  assert.deepEqual(c.update(2000, 110), { delta: 10, ratePerS: 5, isReset: false, isGap: false });
  assert.deepEqual(c.update(2500, 110), { delta: 0, ratePerS: 0, isReset: false, isGap: false });
});

test('a decrease is a reset: null rate, flagged, and the next step counts from the new value', () => {
  const c = new CounterTracker();
  c.update(0, 500);
  c.update(1000, 510);
  assert.deepEqual(c.update(2000, 3), { delta: null, ratePerS: null, isReset: true, isGap: false });
  assert.deepEqual(c.update(3000, 7), { delta: 4, ratePerS: 4, isReset: false, isGap: false });
});

test('null and non-finite readings are skipped; the next rate spans the whole interval', () => {
  const c = new CounterTracker();
  c.update(0, 0);
  assert.deepEqual(c.update(1000, null), { delta: null, ratePerS: null, isReset: false, isGap: false });
  assert.deepEqual(c.update(2000, Number.NaN).delta, null);
  assert.deepEqual(c.update(4000, 8), { delta: 8, ratePerS: 2, isReset: false, isGap: false });
});

test('a gap beyond 10 × the median interval gives a delta but no rate', () => {
  const c = new CounterTracker();
  for (let i = 0; i <= 5; i++) c.update(i * 1000, i * 10);
  assert.equal(c.maxGapMs, 10_000);
  assert.deepEqual(c.update(5000 + 10_000, 60), { delta: 10, ratePerS: 1, isReset: false, isGap: false });
  assert.deepEqual(c.update(15_000 + 10_001, 70), { delta: 10, ratePerS: null, isReset: false, isGap: true });
});

test('until 3 intervals are known the largest interval is 60 s; a fixed maxGapMs wins', () => {
  const c = new CounterTracker();
  c.update(0, 0);
  assert.equal(c.maxGapMs, 60_000);
  assert.equal(c.update(61_000, 1).isGap, true);
  const fixed = new CounterTracker({ maxGapMs: 500 });
  fixed.update(0, 0);
  assert.deepEqual(fixed.update(501, 1), { delta: 1, ratePerS: null, isReset: false, isGap: true });
});

test('a time that does not move forward re-baselines with null delta and rate', () => {
  const c = new CounterTracker();
  c.update(1000, 5);
  assert.deepEqual(c.update(1000, 9), { delta: null, ratePerS: null, isReset: false, isGap: false });
  assert.deepEqual(c.update(2000, 10).ratePerS, 1);
});

test('options must be positive', () => {
  assert.throws(
    () => new CounterTracker({ maxGapMs: 0 }),
    (err) => isRigtuneError(err, 'RT_KERNEL_ARGUMENT'),
  );
});

test('property: for any readings, rates and deltas are never negative and resets have null rates', () => {
  const reading = fc.oneof(
    fc.constant(null),
    fc.double({ noNaN: false }),
    fc.integer({ min: 0, max: 1000 }),
    fc.constantFrom(0, 2 ** 53, Number.MAX_VALUE),
  );
  const step = fc.tuple(fc.integer({ min: -2000, max: 120_000 }), reading);
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const c = new CounterTracker();
      let ts = 1_700_000_000_000;
      for (const [dt, value] of steps) {
        ts += dt;
        const s = c.update(ts, value);
        if (s.ratePerS !== null)
          assert.ok(s.ratePerS >= 0 && Number.isFinite(s.ratePerS), `rate ${s.ratePerS}`);
        if (s.delta !== null) assert.ok(s.delta >= 0, `delta ${s.delta}`);
        if (s.isReset) assert.equal(s.ratePerS, null);
      }
    }),
    { seed: 11, numRuns: 500 },
  );
});

test('maxGapMs is gapFactor × the median of the last 9 intervals for any interval sequence', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 3, maxLength: 200 }), (gaps) => {
      const c = new CounterTracker({ gapFactor: 10 });
      let ts = 0;
      c.update(ts, 0);
      for (let i = 0; i < gaps.length; i += 1) {
        ts += gaps[i];
        c.update(ts, i + 1);
        const last = gaps.slice(Math.max(0, i - 8), i + 1).sort((a, b) => a - b);
        if (last.length < 3) continue;
        const m = last.length >> 1;
        const median = last.length % 2 === 1 ? last[m] : (last[m - 1] + last[m]) / 2;
        assert.equal(c.maxGapMs, 10 * median);
      }
    }),
    { seed: 7, numRuns: 200 },
  );
});

test('trackers sharing a slab give the results of trackers with arrays of their own', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: -5, max: 50 })), {
        maxLength: 80,
      }),
      (steps) => {
        const slab = new Float64Array(3 * COUNTER_SLAB_SIZE);
        const shared = [0, 1, 2].map((i) => new CounterTracker({}, slab, i * COUNTER_SLAB_SIZE));
        const own = [0, 1, 2].map(() => new CounterTracker({}));
        let ts = 0;
        const values = [0, 0, 0];
        for (const [dt, dv] of steps) {
          ts += dt;
          for (let i = 0; i < 3; i += 1) {
            values[i] += dv * (i + 1);
            // Counter i skips every (i + 2)-th reading, so the three rings differ.
            const v = ts % (i + 2) === 0 ? null : values[i];
            assert.deepEqual(shared[i].update(ts, v), own[i].update(ts, v));
            assert.equal(shared[i].maxGapMs, own[i].maxGapMs);
          }
        }
      },
    ),
    { seed: 5, numRuns: 200 },
  );
  assert.throws(() => new CounterTracker({}, new Float64Array(10), 0), /slab offset 0/);
});
