// Tests of the optimizer strategy: thermal safety before efficiency (fan first, fallback when the fan is
// saturated, a ceiling the search respects until the device stays cool), the draw cut, routing by tag.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { isRigtuneError } from '../../core/errors.ts';
import { emptySnapshot, type Snapshot } from '../../core/snapshot.ts';
import { createOptimizer, DEFAULT_OPTIMIZER_OPTIONS, optionsSchema } from './index.ts';
import { outcome, powerView } from './test-kit.ts';

function snap(ts: number, over: Partial<Snapshot>): Snapshot {
  return { ...emptySnapshot(ts, 'r', 'gpu0'), temp_core_c: 60, temp_mem_c: 80, power_w: 300, ...over };
}

const fanView = (current: number, snapshot: Snapshot | null = null) =>
  powerView(current, {
    kind: 'fan_pct',
    bounds: { min: 30, max: 100, step: 1 },
    maxStep: 10,
    minStep: 2,
    snapshot,
  });

/** The outcome of a proposal the controller took as proposed (its tag echoed). */
const echo = (o: ReturnType<typeof outcome>, tag: string | undefined) => ({ ...o, tag: tag ?? null });

test('options: example.yaml validates and states the defaults; bad options name the field', () => {
  const text = readFileSync(new URL('./example.yaml', import.meta.url), 'utf8');
  assert.deepEqual(optionsSchema.parse(parse(text)), DEFAULT_OPTIMIZER_OPTIONS);
  assert.throws(
    () => createOptimizer({ search: { resolutoin: {} } } as never),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID') && e.where.field === 'optimizer.search.resolutoin',
  );
  assert.throws(
    () => createOptimizer({ thermal: { band_c: -1 } }),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID') && e.where.field === 'optimizer.thermal.band_c',
  );
});

test('routing: fan to the thermal controller, searched kinds to the search, the rest nothing', () => {
  const opt = createOptimizer();
  const fan = opt.propose(fanView(60, snap(1000, { temp_mem_c: 96, fan_pct: 60, fan_rpm: 2000 })));
  assert.deepEqual([fan?.value, fan?.tag], [70, 'fan']);
  const step = opt.propose(powerView(300));
  assert.deepEqual([step?.value, step?.tag], [275, 'search'], 'the search, downwards, while hot');
  assert.equal(opt.propose(powerView(300, { kind: 'clock_core_max_mhz' })), null, 'not searched');
  const off = createOptimizer({ thermal: { enabled: false } });
  assert.equal(off.propose(fanView(60, snap(1000, { temp_mem_c: 96, fan_pct: 60, fan_rpm: 2000 }))), null);
});

test('the snapshot in the view feeds the thermal state; without one the last readings hold', () => {
  const opt = createOptimizer({ thermal: { smoothing_ms: 0 } });
  assert.equal(opt.propose(fanView(60)), null, 'no readings yet');
  const hot = snap(1000, { temp_mem_c: 96, fan_pct: 60, fan_rpm: 2000 });
  assert.equal(opt.propose(fanView(60, hot))?.value, 70);
  assert.equal(opt.propose(fanView(60))?.value, 70, 'still hot');
  const cool = snap(2000, { temp_mem_c: 80, fan_pct: 60, fan_rpm: 2000 });
  assert.equal(opt.propose(fanView(60, cool))?.value, 58, 'a fixed duty, 10 °C under: one step down');
  assert.equal(
    opt.propose({ ...fanView(60, cool), atDefault: true }),
    null,
    'an automatic fan is left alone',
  );
});

test('while hot with a fan that can help, the search may not raise the power limit', () => {
  const opt = createOptimizer();
  opt.observe(echo(outcome(300, 275, 'rolled_back', -0.02), 'search'));
  const cool = snap(1000, { temp_mem_c: 80, fan_pct: 60, fan_rpm: 2000 });
  assert.equal(opt.propose(powerView(300, { snapshot: cool }))?.value, 312, 'cool: the search turns up');
  const hot = snap(200_000, { temp_mem_c: 99, fan_pct: 60, fan_rpm: 2000 });
  assert.equal(opt.propose(powerView(300, { snapshot: hot })), null);
});

test('fallback: a fanless card over its target loses power; the cut is a ceiling, released once cool', () => {
  const opt = createOptimizer({ thermal: { smoothing_ms: 0, release_ms: 600_000 } });
  const p = opt.propose(
    powerView(400, { snapshot: snap(1000, { temp_core_c: 80, fan_pct: null, power_w: 400 }) }),
  );
  assert.deepEqual([p?.value, p?.tag], [380, 'fallback']);
  assert.match(p?.reason ?? '', /thermal fallback/);
  opt.observe(echo(outcome(400, 380, 'validated', -0.01), p?.tag));
  assert.deepEqual(
    opt.status().map((s) => s.kind),
    [],
    'a fallback is not a search step',
  );
  const cool = snap(2000, { temp_core_c: 70, fan_pct: null, power_w: 400 });
  assert.equal(opt.propose(powerView(380, { snapshot: cool, nowMs: 2000 }))?.value, 355);
  opt.observe(echo(outcome(380, 355, 'rolled_back', -0.03), 'search'));
  const [st] = opt.status();
  assert.deepEqual([st.dir, st.ceiling], [1, 380]);
  assert.equal(opt.propose(powerView(355, { nowMs: 2000 }))?.value, 367);
  assert.equal(opt.propose(powerView(375, { nowMs: 2000 }))?.value, 380, 'the ceiling bounds the search');
  const later = snap(700_000, { temp_core_c: 70, fan_pct: null, power_w: 400 });
  assert.equal(
    opt.propose(powerView(375, { snapshot: later, nowMs: 700_000 }))?.value,
    387,
    'released after release_ms',
  );
});

test('a limit far above the draw is cut to the draw first; that cut is not a search step', () => {
  const opt = createOptimizer({ thermal: { smoothing_ms: 0 } });
  const bounds = { min: 150, max: 350 };
  const low = snap(1000, { power_w: 279, fan_pct: 60, fan_rpm: 2000 });
  const p = opt.propose(powerView(350, { bounds, snapshot: low }));
  assert.deepEqual([p?.value, p?.tag], [284, 'draw']);
  assert.match(p?.reason ?? '', /above the draw/);
  opt.observe(echo(outcome(350, 328, 'validated', 0.0002), p?.tag));
  assert.deepEqual(opt.status(), []);
  const binding = snap(2000, { power_w: 300, fan_pct: 60, fan_rpm: 2000 });
  const q = opt.propose(powerView(305, { bounds, snapshot: binding }));
  assert.deepEqual([q?.value, q?.tag], [280, 'search'], 'binding: search');
  opt.observe(echo(outcome(305, 283, 'validated', 0.03), q?.tag));
  const [st] = opt.status();
  assert.deepEqual([st.kind, st.phase, st.moves, st.step], ['power_limit_w', 'searching', 1, 22]);
});

test('an untagged (manual) move of a searched set-point is judged by the search; a manual fan move is not', () => {
  const opt = createOptimizer();
  opt.observe(outcome(300, 280, 'validated', 0.02));
  assert.deepEqual(
    opt.status().map((s) => [s.kind, s.moves]),
    [['power_limit_w', 1]],
  );
  opt.observe(outcome(60, 70, 'validated', 0, 0.001, 'fan_pct'));
  assert.equal(opt.status().length, 1);
});
