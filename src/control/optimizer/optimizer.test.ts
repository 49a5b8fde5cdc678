// Tests of the optimizer strategy: thermal safety before efficiency (fan first, fallback when the fan is
// saturated, a ceiling the search respects until the device stays cool), the draw cut, and routing.

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

const fanView = (current: number) =>
  powerView(current, { kind: 'fan_pct', bounds: { min: 30, max: 100, step: 1 }, maxStep: 10, minStep: 2 });

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
  opt.ingest([snap(1000, { temp_mem_c: 96, fan_pct: 60, fan_rpm: 2000 })]);
  assert.equal(opt.propose(fanView(60))?.value, 70);
  assert.equal(opt.propose(powerView(300))?.value, 275, 'the search, downwards, while hot');
  assert.equal(opt.propose(powerView(300, { kind: 'clock_core_max_mhz' })), null, 'not searched');
  const off = createOptimizer({ thermal: { enabled: false } });
  off.ingest([snap(1000, { temp_mem_c: 96, fan_pct: 60, fan_rpm: 2000 })]);
  assert.equal(off.propose(fanView(60)), null);
});

test('while hot with a fan that can help, the search may not raise the power limit', () => {
  const opt = createOptimizer();
  opt.observe(outcome(300, 275, 'rolled_back', -0.02));
  opt.ingest([snap(1000, { temp_mem_c: 80, fan_pct: 60, fan_rpm: 2000 })]);
  assert.equal(opt.propose(powerView(300))?.value, 312, 'cool: the search turns up');
  opt.ingest([snap(200_000, { temp_mem_c: 99, fan_pct: 60, fan_rpm: 2000 })]);
  assert.equal(opt.propose(powerView(300)), null);
});

test('fallback: a fanless card over its target loses power; the cut is a ceiling, released once cool', () => {
  const opt = createOptimizer({ thermal: { smoothing_ms: 0, release_ms: 600_000 } });
  opt.ingest([snap(1000, { temp_core_c: 80, fan_pct: null, power_w: 400 })]);
  const p = opt.propose(powerView(400));
  assert.deepEqual(p?.value, 380);
  assert.match(p?.reason ?? '', /thermal fallback/);
  opt.observe(outcome(400, 380, 'validated', -0.01));
  assert.deepEqual(
    opt.status().map((s) => s.kind),
    [],
    'a fallback is not a search step',
  );
  opt.ingest([snap(2000, { temp_core_c: 70, fan_pct: null, power_w: 400 })]);
  opt.observe(outcome(380, 355, 'rolled_back', -0.03));
  const [st] = opt.status();
  assert.deepEqual([st.dir, st.ceiling], [1, 380]);
  assert.equal(opt.propose(powerView(355, { nowMs: 2000 }))?.value, 367);
  assert.equal(opt.propose(powerView(375, { nowMs: 2000 }))?.value, 380, 'the ceiling bounds the search');
  opt.ingest([snap(700_000, { temp_core_c: 70, fan_pct: null, power_w: 400 })]);
  assert.equal(opt.propose(powerView(375, { nowMs: 700_000 }))?.value, 387, 'released after release_ms');
});

test('a limit far above the draw is cut to the draw first; that cut is not a search step', () => {
  const opt = createOptimizer({ thermal: { smoothing_ms: 0 } });
  opt.ingest([snap(1000, { power_w: 279, fan_pct: 60, fan_rpm: 2000 })]);
  const p = opt.propose(powerView(350, { bounds: { min: 150, max: 350 } }));
  assert.equal(p?.value, 284);
  assert.match(p?.reason ?? '', /above the draw/);
  opt.observe(outcome(350, 328, 'validated', 0.0002));
  assert.deepEqual(opt.status(), []);
  opt.ingest([snap(2000, { power_w: 300, fan_pct: 60, fan_rpm: 2000 })]);
  assert.equal(
    opt.propose(powerView(305, { bounds: { min: 150, max: 350 } }))?.value,
    280,
    'binding: search',
  );
  opt.observe(outcome(305, 283, 'validated', 0.03));
  const [st] = opt.status();
  assert.deepEqual([st.kind, st.phase, st.moves, st.step], ['power_limit_w', 'searching', 1, 22]);
});
