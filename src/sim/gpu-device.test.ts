// Physics sanity of one simulated GPU over long runs: the power cap holds and sets 0x4, a fan
// failure heats and throttles, shares follow hashrate/difficulty, faults and actuators behave.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NUMERIC_FIELDS } from '../core/snapshot.ts';
import type { ActiveFault, FaultKind } from './faults.ts';
import { SimGpu } from './gpu-device.ts';
import { ALGORITHMS, type AlgorithmName, type GpuProfile, H100_SXM, RTX_3080_TI } from './gpu-profiles.ts';
import { Rng } from './rng.ts';
import { SimPool } from './shares.ts';
import { THROTTLE } from './thermal.ts';

const AMBIENT_C = 25;

function makeGpu(profile: GpuProfile = RTX_3080_TI, algo: AlgorithmName = 'ethash', seed = 1) {
  const a = ALGORITHMS[algo];
  const pool = new SimPool(
    {
      difficulty: a.shareDiffH,
      hashesPerDiff: 1,
      jobIntervalMs: a.jobIntervalMs,
      baseLatencyMs: 40,
      baseRejectProb: 0.002,
      url: 'x',
    },
    new Rng(seed + 1000),
  );
  const gpu = new SimGpu(
    { rig: 'rig0', device: 'gpu0', pciBusId: '00000000:01:00.0', uuid: 'GPU-x' },
    profile,
    algo,
    pool,
    new Rng(seed),
  );
  gpu.settle(AMBIENT_C);
  return { gpu, pool };
}

function run(gpu: SimGpu, pool: SimPool, seconds: number, dtS = 1, t0 = 0): void {
  for (let s = 0; s < seconds; s += dtS) {
    pool.step(dtS);
    gpu.step(dtS, t0 + (s + dtS) * 1000, AMBIENT_C);
  }
}

function fault(kind: FaultKind, severity = 1, tsStart = 0, rampMs = 0): ActiveFault {
  return {
    label: { id: 'f', kind, rig: 'rig0', device: 'gpu0', ts_start: tsStart, ts_end: null, severity },
    rampMs,
    index: 0,
  };
}

test('power never exceeds the limit (beyond sensor noise) at any limit, algorithm or card', () => {
  for (const profile of [RTX_3080_TI, H100_SXM]) {
    for (const algo of ['ethash', 'kawpow'] as const) {
      const { gpu, pool } = makeGpu(profile, algo);
      for (const limit of [profile.powerLimitMinW, 0.6 * profile.powerLimitMaxW, profile.powerLimitMaxW]) {
        gpu.setPowerLimit(limit);
        for (let s = 0; s < 600; s++) {
          run(gpu, pool, 1);
          assert.ok(gpu.powerW <= limit + 1e-6, `${profile.key}/${algo}: ${gpu.powerW} W > ${limit} W`);
          assert.ok(gpu.reportedPowerW <= limit * 1.02, 'reading within 2 % of the limit');
        }
      }
    }
  }
});

test('when the cap binds the clock drops and 0x4 (SW power cap) is set; lifting it clears both', () => {
  const { gpu, pool } = makeGpu(RTX_3080_TI, 'kawpow');
  gpu.setPowerLimit(400);
  run(gpu, pool, 120);
  const freeClock = gpu.coreClockMhz;
  assert.equal(gpu.throttleFlags & THROTTLE.SW_POWER_CAP, 0);
  const freeHash = gpu.hashrateHs;
  gpu.setPowerLimit(250);
  run(gpu, pool, 120);
  assert.ok(gpu.coreClockMhz < freeClock - 100, `${gpu.coreClockMhz} vs ${freeClock}`);
  assert.ok(gpu.throttleFlags & THROTTLE.SW_POWER_CAP);
  assert.ok(gpu.hashrateHs < freeHash);
  const snap = gpu.snapshot(1);
  assert.equal(snap.power_limit_w, 250);
  assert.ok((snap.throttle_flags ?? 0) & THROTTLE.SW_POWER_CAP);
  assert.ok(Math.abs((snap.clock_core_mhz ?? 0) - gpu.coreClockMhz) <= 15, 'reported clock is a 15 MHz bin');
  assert.equal((snap.clock_core_mhz ?? 0) % 15, 0);
});

test('the H100 profile reproduces the capture: a full load pins 700 W, clock well below 1980 MHz, 0x4', () => {
  const { gpu, pool } = makeGpu(H100_SXM, 'ethash');
  run(gpu, pool, 60);
  assert.ok(gpu.powerW > 690 && gpu.powerW <= 700);
  assert.ok(gpu.coreClockMhz < 1980 && gpu.coreClockMhz > 1300);
  assert.ok(gpu.throttleFlags & THROTTLE.SW_POWER_CAP);
  const snap = gpu.snapshot(0);
  assert.equal(snap.fan_pct, null, 'datacenter card: no fan reading');
  assert.equal(snap.fan_rpm, null);
  assert.ok((snap.temp_mem_c ?? 0) < (snap.temp_core_c ?? 0), 'HBM runs cooler than the die');
});

test('a fan failure: rpm 0, die and memory heat up, thermal slowdown sets and hash rate falls', () => {
  const { gpu, pool } = makeGpu();
  run(gpu, pool, 60);
  const before = gpu.snapshot(0);
  assert.ok((before.fan_rpm ?? 0) > 1000);
  assert.equal(before.throttle_flags, 0);
  gpu.setFault(fault('fan_failure'), true);
  let maxDie = 0;
  for (let s = 0; s < 900; s++) {
    run(gpu, pool, 1);
    maxDie = Math.max(maxDie, gpu.tempDieC);
  }
  const after = gpu.snapshot(0);
  assert.equal(after.fan_rpm, 0);
  assert.ok((after.fan_pct ?? 0) > (before.fan_pct ?? 0), 'the fan curve asks for more');
  assert.ok(maxDie > (before.temp_core_c ?? 0) + 10, `die ${maxDie}`);
  assert.ok((after.temp_mem_c ?? 0) > (before.temp_mem_c ?? 0));
  assert.ok((after.throttle_flags ?? 0) & (THROTTLE.SW_THERMAL | THROTTLE.HW_THERMAL));
  assert.ok((after.hashrate_5s ?? 0) < 0.7 * (before.hashrate_5s ?? 0));
  assert.ok(gpu.tempDieC < RTX_3080_TI.tempHwSlowdownC + 5, 'the slowdown holds the die near its limits');
});

test('shares per second ≈ hashrate / difficulty within a Poisson interval over a long run', () => {
  const { gpu, pool } = makeGpu(H100_SXM, 'ethash', 5);
  const seconds = 6 * 3600;
  let hashes = 0;
  for (let s = 0; s < seconds; s++) {
    run(gpu, pool, 1);
    hashes += gpu.hashrateHs;
  }
  const expected = hashes / ALGORITHMS.ethash.shareDiffH;
  const sh = gpu.shares;
  const total = sh.accepted + sh.rejected + sh.stale;
  assert.ok(
    Math.abs(total - expected) < 4 * Math.sqrt(expected),
    `${total} shares vs ${expected.toFixed(0)} expected`,
  );
  assert.equal(sh.diffAccepted, sh.accepted * ALGORITHMS.ethash.shareDiffH);
  assert.equal(sh.diffRejected + sh.diffStale, (sh.rejected + sh.stale) * ALGORITHMS.ethash.shareDiffH);
  assert.ok(sh.rejected + sh.stale < 0.03 * total, 'a healthy miner at a near pool rejects little');
});

test('energy counter integrates power; snapshot has every schema field', () => {
  const { gpu, pool } = makeGpu();
  let joules = 0;
  for (let s = 0; s < 100; s++) {
    run(gpu, pool, 1);
    joules += gpu.powerW;
  }
  assert.ok(Math.abs(gpu.energyJ - joules) < 1e-6);
  const snap = gpu.snapshot(42);
  for (const f of NUMERIC_FIELDS) assert.ok(f in snap, f);
  assert.equal(snap.ts, 42);
  assert.equal(snap.temp_chip_max_c, null);
});

test('actuators clamp to the card limits and report what applied', () => {
  const { gpu } = makeGpu();
  assert.deepEqual(gpu.setPowerLimit(50), {
    status: 'clamped',
    requested: 50,
    applied: 100,
    min: 100,
    max: 400,
  });
  assert.equal(gpu.powerLimitW, 100);
  assert.deepEqual(gpu.setPowerLimit(300), {
    status: 'applied',
    requested: 300,
    applied: 300,
    min: 100,
    max: 400,
  });
  assert.equal(gpu.setCoreOffset(1000).applied, RTX_3080_TI.coreOffsetMaxMhz);
  assert.equal(gpu.setMemOffset(-5000).applied, RTX_3080_TI.memOffsetMinMhz);
  assert.equal(gpu.lockCoreClock(99999).applied, RTX_3080_TI.coreMaxMhz);
  assert.equal(gpu.lockCoreClock(null).status, 'applied');
  assert.equal(gpu.coreLockMhz, null);
  assert.equal(gpu.setFan(10).applied, RTX_3080_TI.fanMinPct);
  assert.equal(gpu.setFan(Number.NaN).status, 'clamped');
  const { gpu: h100 } = makeGpu(H100_SXM);
  assert.equal(h100.setFan(80).status, 'unsupported');
  assert.equal(h100.setPowerLimit(900).applied, 700);
});

test('a clock lock and a manual fan take effect', () => {
  const { gpu, pool } = makeGpu();
  gpu.lockCoreClock(1200);
  gpu.setFan(100);
  run(gpu, pool, 120);
  assert.ok(Math.abs(gpu.coreClockMhz - 1200) < 1);
  assert.equal(gpu.snapshot(0).fan_pct, 100);
  assert.ok(gpu.fanRpm > 0.95 * RTX_3080_TI.fanMaxRpm);
});

test('ignore_writes: the reply says applied but nothing changes (read-back reveals it)', () => {
  const { gpu, pool } = makeGpu();
  gpu.setFault(fault('ignore_writes'), true);
  const r = gpu.setPowerLimit(200);
  assert.equal(r.status, 'applied');
  assert.equal(r.applied, 200);
  run(gpu, pool, 5);
  assert.equal(gpu.snapshot(0).power_limit_w, 350);
});

test('driver crash: snapshots all null, writes unavailable; on recovery counters restart from zero', () => {
  const { gpu, pool } = makeGpu(RTX_3080_TI, 'ethash', 3);
  run(gpu, pool, 600);
  assert.ok(gpu.shares.accepted > 0);
  const crash = fault('driver_crash');
  gpu.setFault(crash, true);
  run(gpu, pool, 60);
  const snap = gpu.snapshot(7);
  for (const f of NUMERIC_FIELDS) assert.equal(snap[f], null, f);
  assert.equal(snap.device, 'gpu0');
  assert.equal(gpu.setPowerLimit(200).status, 'unavailable');
  gpu.setFault(crash, false);
  assert.equal(gpu.shares.accepted, 0);
  assert.equal(gpu.energyJ, 0);
  run(gpu, pool, 120);
  assert.ok((gpu.snapshot(0).hashrate_5s ?? 0) > 0.9 * gpu.expectedHs);
});

test('memory errors lower hash rate and raise rejects and HW errors', () => {
  const healthy = makeGpu(RTX_3080_TI, 'ethash', 11);
  const sick = makeGpu(RTX_3080_TI, 'ethash', 11);
  sick.gpu.setFault(fault('memory_errors'), true);
  run(healthy.gpu, healthy.pool, 3600);
  run(sick.gpu, sick.pool, 3600);
  assert.ok(sick.gpu.hashrateHs < 0.95 * healthy.gpu.hashrateHs);
  assert.ok(sick.gpu.shares.rejected > healthy.gpu.shares.rejected + 3);
  assert.ok(sick.gpu.hwErrors > 50);
  assert.equal(healthy.gpu.hwErrors, 0);
});

test('thermal paste degradation: the die warms gradually over the ramp', () => {
  const { gpu, pool } = makeGpu();
  run(gpu, pool, 60);
  const t0 = gpu.tempDieC;
  gpu.setFault(fault('thermal_paste', 1, 60_000, 1_800_000), true);
  run(gpu, pool, 300, 1, 60_000);
  const t5m = gpu.tempDieC;
  run(gpu, pool, 1800, 1, 360_000);
  const t35m = gpu.tempDieC;
  assert.ok(t5m > t0 + 0.5 && t5m < t35m, `${t0} → ${t5m} → ${t35m}`);
  assert.ok(t35m > t0 + 10);
});

test('PSU sag: power brake (0x80 | 0x8), lower clock and hash rate', () => {
  const { gpu, pool } = makeGpu(RTX_3080_TI, 'kawpow');
  run(gpu, pool, 30);
  const before = { clock: gpu.coreClockMhz, hash: gpu.hashrateHs };
  gpu.setFault(fault('psu_sag'), true);
  run(gpu, pool, 5);
  assert.ok(gpu.throttleFlags & THROTTLE.HW_POWER_BRAKE);
  assert.ok(gpu.throttleFlags & THROTTLE.HW_SLOWDOWN);
  assert.ok(gpu.coreClockMhz < 0.7 * before.clock);
  assert.ok(gpu.hashrateHs < 0.7 * before.hash);
});

test('core overclock beyond the stable offset produces HW errors', () => {
  const { gpu, pool } = makeGpu();
  gpu.setCoreOffset(RTX_3080_TI.coreOffsetStableMhz + 100);
  run(gpu, pool, 600);
  assert.ok(gpu.hwErrors > 10);
});
