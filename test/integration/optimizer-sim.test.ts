// The optimizer under the real controller on the simulator (real scorer, sim actuator, on-disk journal,
// fake clock): a short fleet run converges within 2 % of the true optimum with no guard-rail violation;
// a hot card's fan rises to hold its target; a fan at 100 % that cannot hold it makes the power drop.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditDevice, buildRun, runFor, type TuneRun } from '../../bench/tune/runner.ts';
import { fleetPlans, MODELS, type ModelPlan } from '../../bench/tune/setup.ts';
import { truthFor } from '../../bench/tune/truth.ts';

function finished(run: TuneRun, i: number, status: string): Record<string, unknown>[] {
  return run.devices[i].records
    .filter((r) => r.kind === 'action' && r.payload.status === status && r.payload.purpose !== 'restore')
    .map((r) => r.payload);
}

test('a short fleet run (RTX 3080 Ti with a fault, H100, S19): within 2 % of the optimum, no violation', async () => {
  const run = await buildRun(fleetPlans(true));
  try {
    await runFor(run, 5 * 3600);
    assert.deepEqual(
      run.devices.map((d) => d.model),
      ['rtx3080ti/ethash', 'h100/ethash', 's19pro/ethash'],
    );
    for (const d of run.devices) {
      assert.deepEqual(auditDevice(d), [], `${d.id}: violations`);
      const t = truthFor(d);
      const ratio = t.finalEff / t.optimumEff;
      assert.ok(
        ratio >= 0.98,
        `${d.id}: ${ratio.toFixed(4)} of the optimum (${t.finalW} vs ${t.optimumW} W)`,
      );
      assert.ok(t.finalEff > 1.05 * t.stockEff, `${d.id}: gain over stock`);
    }
    const rtx = run.devices[0].fleet.gpu('rig0', 'gpu0');
    assert.ok((rtx.fanManualPct ?? 0) > 65, `fan ${rtx.fanManualPct}: raised to cool the memory junction`);
  } finally {
    await run.close();
  }
});

const hotRtx = (optimizer: ModelPlan['optimizer']): Record<string, ModelPlan> => ({
  ...MODELS,
  rtx3080ti: {
    autotune: { ...MODELS.rtx3080ti.autotune, setpoints: ['fan_pct', 'power_limit_w'] },
    optimizer: { ...optimizer, search: { kinds: [] } },
  },
});

test('a hot memory junction: the fan rises until it holds the target, the power limit stays', async () => {
  const plan = {
    tag: 'hot',
    seed: 4,
    algo: 'ethash' as const,
    gpuModel: 'rtx3080ti' as const,
    gpuRigs: 1,
    asics: 0,
    faults: '',
  };
  const run = await buildRun([plan], hotRtx({ thermal: { targets_c: { temp_mem_c: 90 } } }));
  try {
    const gpu = run.devices[0].fleet.gpu('rig0', 'gpu0');
    assert.ok(gpu.tempMemC > 95, `starts hot: ${gpu.tempMemC.toFixed(1)} °C`);
    await runFor(run, 40 * 60);
    const fans = finished(run, 0, 'validated').filter((p) => p.setpoint === 'fan_pct');
    assert.ok(fans.length >= 2, `${fans.length} fan steps`);
    for (const f of fans) assert.ok(Number(f.to) > Number(f.from ?? 0));
    assert.ok(gpu.tempMemC <= 92, `memory junction ${gpu.tempMemC.toFixed(1)} °C`);
    assert.equal(gpu.powerLimitW, 350);
    assert.deepEqual(auditDevice(run.devices[0]), []);
  } finally {
    await run.close();
  }
});

test('fan at 100 % and still over target: the power limit is lowered until the die holds it', async () => {
  const plan = {
    tag: 'sat',
    seed: 4,
    algo: 'kawpow' as const,
    gpuModel: 'rtx3080ti' as const,
    gpuRigs: 1,
    asics: 0,
    faults: '',
  };
  const run = await buildRun([plan], hotRtx({ thermal: { targets_c: { temp_core_c: 60 } } }));
  try {
    await runFor(run, 90 * 60);
    const done = finished(run, 0, 'validated');
    const fan = done.filter((p) => p.setpoint === 'fan_pct');
    const power = done.filter((p) => p.setpoint === 'power_limit_w');
    assert.equal(fan.at(-1)?.to, 100);
    assert.ok(power.length >= 2, `${power.length} power cuts`);
    for (const p of power) assert.match(String(p.reason), /thermal fallback/);
    const firstCut = run.devices[0].records.find(
      (r) => r.kind === 'action' && r.payload.setpoint === 'power_limit_w',
    );
    const lastFan = run.devices[0].records
      .filter((r) => r.kind === 'action' && r.payload.setpoint === 'fan_pct')
      .at(-1);
    assert.ok((firstCut?.ts ?? 0) > (lastFan?.ts ?? Infinity), 'the fan first, then the power');
    const gpu = run.devices[0].fleet.gpu('rig0', 'gpu0');
    assert.ok(
      gpu.powerLimitW < 300 && gpu.tempDieC <= 62,
      `${gpu.powerLimitW} W, die ${gpu.tempDieC.toFixed(1)} °C`,
    );
    assert.deepEqual(auditDevice(run.devices[0]), []);
  } finally {
    await run.close();
  }
});
