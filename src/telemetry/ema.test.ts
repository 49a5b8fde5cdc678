// Tests of the time-based EMA: alpha from elapsed time, irregular sampling, nulls holding the EMA,
// and the EMA delta.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRigtuneError } from '../core/errors.ts';
import { EmaTracker } from './ema.ts';

const close = (a: number | null, b: number) =>
  assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

test('starts at the first reading, then moves by 1 − exp(−dt/tau)', () => {
  const e = new EmaTracker(10);
  assert.deepEqual(e.update(0, 100), { ema: 100, delta: null });
  const a1 = 1 - Math.exp(-1 / 10);
  const s1 = e.update(1000, 200);
  close(s1.ema, 100 + a1 * 100);
  close(s1.delta, a1 * 100);
});

test('irregular dt: one 3 s step equals three 1 s steps toward a constant', () => {
  const once = new EmaTracker(5);
  once.update(0, 0);
  const big = once.update(3000, 10).ema;
  const thrice = new EmaTracker(5);
  thrice.update(0, 0);
  thrice.update(1000, 10);
  thrice.update(2000, 10);
  close(big, thrice.update(3000, 10).ema ?? Number.NaN);
  close(big, 10 * (1 - Math.exp(-3 / 5)));
});

test('a null reading holds the EMA with a null delta; the next dt spans the gap', () => {
  const e = new EmaTracker(2);
  e.update(0, 0);
  assert.deepEqual(e.update(1000, null), { ema: 0, delta: null });
  const s = e.update(4000, 1);
  close(s.ema, 1 - Math.exp(-4 / 2));
  close(s.delta, 1 - Math.exp(-4 / 2));
});

test('tau 0 follows the readings; a repeated time changes nothing', () => {
  const raw = new EmaTracker(0);
  raw.update(0, 1);
  assert.deepEqual(raw.update(500, 7), { ema: 7, delta: 6 });
  const e = new EmaTracker(5);
  e.update(1000, 1);
  assert.deepEqual(e.update(1000, 9), { ema: 1, delta: 0 });
});

test('tau must be finite and ≥ 0', () => {
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(
      () => new EmaTracker(bad),
      (err) => isRigtuneError(err, 'RT_KERNEL_ARGUMENT'),
    );
  }
});
