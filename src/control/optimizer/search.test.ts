// Tests of the efficiency search: closed loops on noisy curves (seeded) through the real gate shaping and
// validation statistics converge within 2 % of the optimum; flat curves stop; each rule on its own.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_OPTIMIZER_OPTIONS } from './options.ts';
import {
  applyOutcome,
  classifyOutcome,
  initialSearchState,
  proposeStep,
  type SearchState,
} from './search.ts';
import { bestOf, outcome, powerView, runSearchLoop } from './test-kit.ts';

const O = DEFAULT_OPTIMIZER_OPTIONS.search;
const SEEDS = Array.from({ length: 12 }, (_, i) => 1000 + i);

const curves = {
  /** A smooth hump with its top inside the range. */
  parabola: (x: number) => 1 - ((x - 430) / 400) ** 2,
  /** Gentle on the high side, a cliff below the optimum (an RTX on Ethash). */
  cliff: (x: number) => (x < 330 ? 1 - 0.025 * (330 - x) : 1 / (1 + 0.0025 * (x - 330))),
  /** Better all the way down to the lower bound (an ASIC's power target). */
  monotone: (x: number) => 1 / (1 + 0.0004 * (x - 200)),
  /** The top above the starting point: the first direction is wrong. */
  highTop: (x: number) => 1 - ((x - 620) / 500) ** 2,
};

for (const [name, curve] of Object.entries(curves)) {
  test(`${name}: converges within 2 % of the optimum on every seed, inside the bounds`, () => {
    const start = name === 'highTop' ? 400 : 700;
    const optimum = bestOf(curve, 200, 700);
    for (const seed of SEEDS) {
      const r = runSearchLoop({
        curve,
        bounds: { min: 200, max: 700 },
        start,
        maxStep: 25,
        minStep: 5,
        noise: 0.004,
        seed,
      });
      assert.equal(r.stuck, false, `seed ${seed}: a proposal the gate refused`);
      assert.ok(
        curve(r.final) >= 0.98 * optimum,
        `seed ${seed}: final ${r.final}, ${curve(r.final) / optimum}`,
      );
      assert.ok(r.state.convergedAtMs !== null || r.state.lastVerdict === 'better', `seed ${seed}: not done`);
      assert.ok(r.actions <= 45, `seed ${seed}: ${r.actions} actions`);
      for (const v of [...r.proposals, ...r.targets]) assert.ok(v >= 200 && v <= 700, `${v} out of bounds`);
    }
  });
}

test('a noisier device (1 % per block) still lands within 2 % on the smooth hump', () => {
  for (const seed of SEEDS) {
    const r = runSearchLoop({
      curve: curves.parabola,
      bounds: { min: 200, max: 700 },
      start: 700,
      maxStep: 25,
      minStep: 5,
      noise: 0.01,
      seed,
    });
    assert.ok(curves.parabola(r.final) >= 0.98, `seed ${seed}: ${r.final}`);
  }
});

test('a flat curve: a few plateau steps, then it stops (no walk to the bound)', () => {
  for (const seed of SEEDS) {
    const r = runSearchLoop({
      curve: () => 1,
      bounds: { min: 200, max: 700 },
      start: 600,
      maxStep: 25,
      minStep: 5,
      noise: 0.004,
      seed,
    });
    assert.equal(r.stuck, false);
    assert.ok(r.actions <= 12, `seed ${seed}: ${r.actions} actions`);
    assert.ok(r.final >= 600 - (O.max_flat_moves + 1) * 25, `seed ${seed}: walked to ${r.final}`);
    assert.notEqual(r.state.convergedAtMs, null);
  }
});

test('a fault that spoils one watch (a rupture scored during it): retried, the search still converges', () => {
  const r = runSearchLoop({
    curve: curves.parabola,
    bounds: { min: 200, max: 700 },
    start: 700,
    maxStep: 25,
    minStep: 5,
    noise: 0.004,
    seed: 7,
    faults: [6],
  });
  assert.ok(r.rollbacks >= 1);
  assert.equal(r.targets[7], r.targets[6], 'the spoiled step is tried again');
  assert.ok(curves.parabola(r.final) >= 0.98);
});

test('a device grid (15 MHz clocks): proposals and targets stay on it and within bounds', () => {
  const curve = (x: number) => 1 - ((x - 1400) / 900) ** 2;
  const r = runSearchLoop({
    curve,
    bounds: { min: 210, max: 2100, step: 15 },
    start: 2100,
    maxStep: 60,
    minStep: 15,
    noise: 0.003,
    seed: 3,
    search: { resolution: { ...O.resolution, power_limit_w: 15 } },
  });
  assert.equal(r.stuck, false);
  for (const t of r.targets) assert.equal((t - 210) % 15, 0);
  assert.ok(curve(r.final) >= 0.98 * bestOf(curve, 210, 2100));
});

test('classify: the interval and the rollback causes decide', () => {
  assert.equal(classifyOutcome(outcome(300, 280, 'validated', 0.02)), 'better');
  assert.equal(classifyOutcome(outcome(300, 280, 'validated', -0.005)), 'worse');
  assert.equal(classifyOutcome(outcome(300, 280, 'rolled_back', -0.03)), 'worse');
  assert.equal(classifyOutcome(outcome(300, 280, 'validated', 0.0005, 0.002)), 'flat');
  assert.equal(classifyOutcome(outcome(300, 280, 'rolled_back', 0.02)), 'blocked', 'heat');
  assert.equal(classifyOutcome(outcome(300, 280, 'rolled_back', null)), 'blocked');
  assert.equal(classifyOutcome(outcome(300, 280, 'failed', null)), 'blocked');
  const dropped = (causes: Parameters<typeof outcome>[6]) =>
    classifyOutcome(outcome(300, 280, 'rolled_back', -0.4, 0.001, 'power_limit_w', causes));
  assert.equal(dropped(['efficiency']), 'worse', 'a cliff: no retry');
  assert.equal(dropped(['efficiency', 'macro_rupture']), 'blocked', 'a fault scored in the watch');
  assert.equal(dropped(['hw_errors']), 'blocked', 'HW errors without an efficiency verdict');
  assert.equal(dropped(['heat_early_stop']), 'blocked');
  assert.equal(dropped(['efficiency', 'mode']), 'interrupted');
  assert.equal(dropped(['kill_switch']), 'interrupted');
  assert.equal(
    classifyOutcome(outcome(300, 280, 'validated', 0.0008, 0.0002), 0.001),
    'flat',
    'below min effect',
  );
});

test('steps: full step first, two gains double it, worse turns and halves, below resolution converges', () => {
  let s = initialSearchState(O);
  assert.deepEqual(proposeStep(s, powerView(700), O, 5)?.value, 675);
  s = applyOutcome(s, outcome(700, 678, 'validated', 0.05), O, 5);
  assert.equal(s.step, 22, 'the step that actually moved');
  s = applyOutcome(s, outcome(678, 656, 'validated', 0.05), O, 5);
  assert.equal(s.step, 44);
  assert.equal(proposeStep(s, powerView(656), O, 5)?.value, 631, 'clamped to the max step');
  s = applyOutcome(s, outcome(656, 634, 'rolled_back', -0.02), O, 5);
  assert.deepEqual([s.dir, s.step], [1, 11]);
  assert.equal(proposeStep(s, powerView(656), O, 5)?.value, 667);
  s = applyOutcome(s, outcome(656, 667, 'rolled_back', -0.015), O, 5);
  assert.deepEqual([s.dir, s.step], [-1, 5.5]);
  s = applyOutcome(s, outcome(656, 651, 'validated', -0.004), O, 5);
  assert.equal(s.returning, true, 'a committed worse step at the finest step is undone');
  assert.equal(proposeStep(s, powerView(651), O, 5)?.value, 656);
  s = applyOutcome(s, outcome(651, 656, 'validated', 0.004), O, 5);
  assert.notEqual(s.convergedAtMs, null);
  assert.equal(proposeStep(s, powerView(656), O, 5), null);
});

test('bounds: at the bound with a gain it stops; otherwise it turns back with half a step', () => {
  let s = applyOutcome(initialSearchState(O), outcome(225, 200, 'validated', 0.03), O, 5);
  assert.equal(proposeStep(s, powerView(200), O, 5), null, 'the optimum is the bound');
  s = applyOutcome(initialSearchState(O), outcome(225, 200, 'validated', 0.0001, 0.002), O, 5);
  assert.equal(proposeStep(s, powerView(200), O, 5)?.value, 212);
});

test('blocked outcomes are retried max_retries times, then count as worse; restores are ignored', () => {
  let s = applyOutcome(initialSearchState(O), outcome(700, 678, 'rolled_back', null), O, 5);
  assert.deepEqual([s.dir, s.retries], [-1, 1]);
  s = applyOutcome(s, outcome(700, 678, 'failed', null), O, 5);
  assert.deepEqual([s.dir, s.retries], [1, 0]);
  const r = applyOutcome(s, { ...outcome(700, 350, 'validated', 0.5), purpose: 'restore' }, O, 5);
  assert.equal(r, s);
});

test('an action ended from outside (mode, kill switch, shutdown, journal) teaches the search nothing', () => {
  const s = applyOutcome(initialSearchState(O), outcome(700, 678, 'validated', 0.05), O, 5);
  for (const cause of ['mode', 'kill_switch', 'shutdown', 'journal'] as const) {
    const o = outcome(678, 656, 'rolled_back', -0.3, 0.001, 'power_limit_w', [cause]);
    assert.equal(applyOutcome(s, o, O, 5), s, cause);
  }
  assert.equal(proposeStep(s, powerView(678), O, 5)?.value, 656, 'the same step again');
});

test('re-check after convergence when recheck_ms is set', () => {
  const opts = { ...O, recheck_ms: 3_600_000 };
  let s: SearchState = { ...initialSearchState(O), step: 2, convergedAtMs: 0 };
  assert.equal(proposeStep(s, powerView(400, { nowMs: 1000 }), opts, 5), null);
  assert.equal(proposeStep(s, powerView(400, { nowMs: 3_600_000 }), opts, 5)?.value, 390);
  s = applyOutcome(s, outcome(400, 390, 'validated', 0.01), opts, 5);
  assert.deepEqual([s.convergedAtMs, s.step, s.dir], [null, 10, -1]);
});
