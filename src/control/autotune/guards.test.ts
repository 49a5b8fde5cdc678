// Unit tests of each guard rail and its reason: bounds intersection, rupture, interval, cooldown, hourly
// cap, freshness, the guard-curve step and the shaping of a proposal into a target.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { throttleFactor } from '../../kernel/guards/index.ts';
import {
  checkCooldown,
  checkFresh,
  checkHourlyCap,
  checkMinInterval,
  checkRupture,
  guardMetricsOf,
  intersectBounds,
  scaledStep,
  shapeTarget,
} from './guards.ts';
import { scoreTick } from './test-kit.ts';

const T = 1_700_000_000_000;

function refused(v: { ok: boolean }, guard: string, reason?: RegExp): void {
  assert.equal(v.ok, false);
  const r = v as unknown as { guard: string; reason: string };
  assert.equal(r.guard, guard);
  if (reason) assert.match(r.reason, reason);
}

test('bounds: configured ∩ device; disjoint is null; the device grid is kept', () => {
  assert.deepEqual(intersectBounds({ min: 100, max: 400 }), { min: 100, max: 400 });
  assert.deepEqual(intersectBounds({ min: 100, max: 400, step: 5 }, { min: 150 }), {
    min: 150,
    max: 400,
    step: 5,
  });
  assert.deepEqual(intersectBounds({ min: 100, max: 400 }, { min: 50, max: 300 }), { min: 100, max: 300 });
  assert.equal(intersectBounds({ min: 100, max: 400 }, { min: 500 }), null);
});

test('rupture: none and micro pass; meso, macro and unknown refuse', () => {
  assert.equal(checkRupture('none').ok, true);
  assert.equal(checkRupture('micro').ok, true);
  refused(checkRupture('meso'), 'rupture', /meso/);
  refused(checkRupture('macro'), 'rupture', /macro/);
  refused(checkRupture(null), 'rupture', /no score/);
});

test('min interval, cooldown, freshness', () => {
  assert.equal(checkMinInterval(null, T, 600_000).ok, true);
  assert.equal(checkMinInterval(T - 600_000, T, 600_000).ok, true);
  refused(checkMinInterval(T - 599_000, T, 600_000), 'min_interval', /599 s ago; 1 s to wait/);
  assert.equal(checkCooldown(null, T).ok, true);
  assert.equal(checkCooldown(T, T).ok, true);
  refused(checkCooldown(T + 90_500, T), 'cooldown', /91 s more/);
  assert.equal(checkFresh(T - 1000, T, 60_000).ok, true);
  refused(checkFresh(T - 61_000, T, 60_000), 'stale', /61 s old/);
  refused(checkFresh(null, T, 60_000), 'stale', /no score/);
});

test('hourly cap counts actions in the 60 minutes up to now', () => {
  const times = [T - 3_600_000, T - 3_000_000, T - 60_000];
  assert.equal(checkHourlyCap(times, T, 3).ok, true, 'the one exactly an hour ago has left the window');
  refused(checkHourlyCap(times, T, 2), 'hourly_cap', /2 actions in the last hour \(cap 2\)/);
  assert.equal(checkHourlyCap([T + 1000], T, 1).ok, true, 'future times do not count');
});

test('the step is the max step times the guard curve, with the previous metrics', () => {
  const calm = guardMetricsOf(scoreTick('r', 'g', T));
  assert.ok(calm !== null);
  const full = scaledStep(25, calm, null);
  assert.ok(Math.abs(full.factor - 1) < 1e-12 && Math.abs(full.step - 25) < 1e-9);
  const shaky = guardMetricsOf(
    scoreTick('r', 'g', T, 'none', { coherence: 0.4, stability: 0.5, rupture: 0.5, lambda: 0.6 }),
  );
  assert.ok(shaky !== null);
  const f = throttleFactor(shaky, calm);
  assert.deepEqual(scaledStep(20, shaky, calm), { factor: f, step: 20 * f });
  assert.ok(f < 0.5);
  assert.deepEqual(scaledStep(20, null, null), { factor: 0, step: 0 });
  assert.equal(guardMetricsOf({ ...scoreTick('r', 'g', T), structure: null }), null);
});

test('shapeTarget: clamps into bounds, shortens to the step, snaps toward the current value', () => {
  const b = { min: 100, max: 400 };
  assert.deepEqual(shapeTarget(350, 300, b, 25, 5), { ok: true, to: 325 });
  assert.deepEqual(shapeTarget(350, 340, b, 25, 5), { ok: true, to: 340 });
  assert.deepEqual(shapeTarget(110, 0, b, 25, 5), { ok: true, to: 100 });
  assert.deepEqual(shapeTarget(1000, 1100, { min: 800, max: 1500, step: 15 }, 40, 15), {
    ok: true,
    to: 1040,
  });
  assert.deepEqual(shapeTarget(1010, 900, { min: 800, max: 1500, step: 15 }, 40, 15), { ok: true, to: 980 });
  assert.deepEqual(
    shapeTarget(350, 300, b, 17.5, 5),
    { ok: true, to: 333 },
    'a shortened step is cut to whole units',
  );
  assert.deepEqual(shapeTarget(350, 325, b, 24.999999999999996, 5), { ok: true, to: 325 });
  refused(shapeTarget(350, 348, b, 25, 5), 'no_change', /below the minimum step 5/);
  refused(shapeTarget(350, 300, b, 3, 5), 'throttle', /allowed step 3/);
  refused(shapeTarget(500, 450, b, 25, 5), 'bounds', /outside \[100, 400\]/);
  refused(shapeTarget(350, Number.NaN, b, 25, 5), 'bounds', /not a number/);
});

test('shapeTarget exact (manual): takes the value or refuses, never shortens', () => {
  const b = { min: 100, max: 400, step: 5 };
  assert.deepEqual(shapeTarget(350, 330, b, 25, 5, true), { ok: true, to: 330 });
  refused(shapeTarget(350, 300, b, 25, 5, true), 'max_step', /exceeds the allowed step 25/);
  refused(shapeTarget(350, 450, b, 200, 5, true), 'bounds', /outside the allowed range/);
  refused(shapeTarget(350, 332, b, 25, 5, true), 'bounds', /grid of 5/);
});
