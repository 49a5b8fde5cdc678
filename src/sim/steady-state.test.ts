// Tests of the noise-free steady-state twin: it matches the live device's own physics at the same
// settings, never disturbs the fleet (state or random streams), and carries settings and faults.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFaultSpec } from './faults.ts';
import { Fleet, type FleetOptions } from './fleet.ts';
import { steadyStateCurve } from './steady-state.ts';

const T0 = Date.UTC(2026, 0, 1, 12);
const base: FleetOptions = { seed: 9, startMs: T0, gpuRigs: 2, gpusPerRig: 1, asics: 1, settleS: 60 };

function run(f: Fleet, seconds: number): void {
  for (let s = 0; s < seconds; s++) f.step(1000);
}

test('the twin matches the live device once it has settled at the same power limit', () => {
  const f = new Fleet(base);
  f.gpu('rig1', 'gpu0').setPowerLimit(450);
  f.asic('asic0').setPowerTarget(2600);
  run(f, 1800);
  const h100 = f.gpu('rig1', 'gpu0');
  const [p] = steadyStateCurve(f, 'rig1', 'gpu0', [450]);
  assert.ok(Math.abs(p.powerW / h100.powerW - 1) < 0.003, `${p.powerW} vs ${h100.powerW}`);
  assert.ok(Math.abs(p.efficiencyHPerJ / (h100.hashrateHs / h100.powerW) - 1) < 0.003);
  assert.ok(Math.abs(p.tempCoreC - h100.tempDieC) < 0.5);
  const asic = f.asic('asic0');
  const [q] = steadyStateCurve(f, 'asic0', 'total', [2600]);
  let hs = 0;
  for (const b of asic.boards) hs += b.rateHs;
  assert.ok(Math.abs(q.efficiencyHPerJ / (hs / asic.powerW) - 1) < 0.005);
});

test('sweeping leaves the fleet untouched: same snapshots as a fleet that was never swept', () => {
  const a = new Fleet(base);
  const b = new Fleet(base);
  run(a, 30);
  run(b, 30);
  steadyStateCurve(a, 'rig0', 'gpu0', [200, 300]);
  steadyStateCurve(a, 'asic0', 'total', [2000]);
  run(a, 30);
  run(b, 30);
  assert.deepEqual(a.snapshots(), b.snapshots());
});

test('live settings (manual fan) versus stock; power limits beyond the range are clamped', () => {
  const f = new Fleet(base);
  f.gpu('rig0', 'gpu0').setFan(100);
  const [live] = steadyStateCurve(f, 'rig0', 'gpu0', [250]);
  const [stock] = steadyStateCurve(f, 'rig0', 'gpu0', [250], { settings: 'stock' });
  assert.equal(live.fanPct, 100);
  assert.ok((stock.fanPct ?? 100) < 80);
  assert.ok((live.tempMemC ?? 0) < (stock.tempMemC ?? 0) - 5);
  const [lo, hi] = steadyStateCurve(f, 'rig0', 'gpu0', [10, 10_000]);
  assert.ok(lo.powerW <= 100.5 && hi.powerW > 250);
});

test("active faults are the twin's too: a failed ASIC fan makes the same target hotter", () => {
  const ok = new Fleet(base);
  const broken = new Fleet({
    ...base,
    faults: parseFaultSpec('fan_failure@asic0@0s,ignore_writes@asic0@0s'),
  });
  run(broken, 1);
  const [a] = steadyStateCurve(ok, 'asic0', 'total', [3200]);
  const [b] = steadyStateCurve(broken, 'asic0', 'total', [3200]);
  assert.equal(b.fanPct, 100);
  assert.ok(b.tempCoreC > a.tempCoreC + 3, `${b.tempCoreC} vs ${a.tempCoreC}`);
  assert.ok(b.powerW > 3100, 'ignore_writes does not stop the twin from taking its target');
});
