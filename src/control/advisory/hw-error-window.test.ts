// The hardware-error window: rate over the trailing window, nothing before a minute is covered,
// restarts of the counter, and readings that do not move time forward.

import assert from 'node:assert/strict';
import { test } from 'node:test';
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
