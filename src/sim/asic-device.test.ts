// Physics sanity of a simulated S19-class miner: power target, board drop-out, chip status, HW
// errors vs temperature and undervolt (PSU sag), fan failure, per-board thermal paste, snapshots.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NUMERIC_FIELDS } from '../core/snapshot.ts';
import { SimAsic } from './asic-device.ts';
import { hwErrorRate, S19_PRO } from './asic-model.ts';
import type { ActiveFault, FaultKind } from './faults.ts';
import { Rng } from './rng.ts';
import { SimPool } from './shares.ts';

function makeAsic(seed = 1, ambientC = 25) {
  const pool = new SimPool(
    {
      difficulty: S19_PRO.poolDifficulty,
      hashesPerDiff: 2 ** 32,
      jobIntervalMs: 600_000,
      baseLatencyMs: 40,
      baseRejectProb: 0.002,
      url: 'stratum+tcp://x:3333',
    },
    new Rng(seed + 7),
  );
  const asic = new SimAsic('asic0', S19_PRO, pool, new Rng(seed));
  asic.settle(ambientC);
  return { asic, pool };
}

function run(asic: SimAsic, pool: SimPool, seconds: number, ambientC = 25, t0 = 0): void {
  for (let s = 0; s < seconds; s++) {
    pool.step(1);
    asic.step(1, t0 + (s + 1) * 1000, ambientC);
  }
}

function fault(kind: FaultKind, device: string | null, severity = 1, index = 0): ActiveFault {
  return {
    label: { id: 'f', kind, rig: 'asic0', device, ts_start: 0, ts_end: null, severity },
    rampMs: 600_000,
    index,
  };
}

test('stock state: ~110 TH/s at ~3.2 kW, chips near the fan target, fans below 100 %', () => {
  const { asic, pool } = makeAsic();
  run(asic, pool, 300);
  const total = asic.snapshots(0).at(-1)!;
  assert.equal(total.device, 'total');
  assert.ok(Math.abs((total.hashrate_5s ?? 0) / 110e12 - 1) < 0.05, `${total.hashrate_5s}`);
  assert.ok((total.power_w ?? 0) > 3000 && (total.power_w ?? 0) < 3300);
  assert.ok(Math.abs((total.temp_chip_max_c ?? 0) - S19_PRO.chipTargetC) <= 3);
  assert.ok((total.fan_pct ?? 0) < 100 && (total.fan_pct ?? 0) > S19_PRO.fanMinPct);
});

test('the power target holds: wall power stays at or below it, lower target → lower frequency and hash rate', () => {
  const { asic, pool } = makeAsic(2);
  run(asic, pool, 120);
  const before = { freq: asic.boards[0].freqMhz, hash: asic.hashrate5s };
  assert.deepEqual(asic.setPowerTarget(2200), {
    status: 'applied',
    requested: 2200,
    applied: 2200,
    min: 1000,
    max: 3600,
  });
  for (let s = 0; s < 900; s++) {
    run(asic, pool, 1);
    assert.ok(asic.powerW <= 2200 * 1.01, `${asic.powerW} W at ${s} s`);
  }
  assert.ok(asic.boards[0].freqMhz < before.freq - 50);
  assert.ok(asic.hashrate5s < 0.8 * before.hash);
  assert.equal(asic.snapshots(0).at(-1)!.power_limit_w, 2200);
  assert.equal(asic.setPowerTarget(99_999).applied, S19_PRO.powerTargetMaxW);
  assert.equal(asic.setPowerTarget(0).status, 'clamped');
  assert.equal(asic.setFan(5).applied, S19_PRO.fanMinPct);
});

test('a full hashboard drop-out: board absent (hash 0, temps null), total loses a third', () => {
  const { asic, pool } = makeAsic(3);
  run(asic, pool, 60);
  const before = asic.hashrate5s;
  asic.setFault(fault('hashboard_dropout', 'board1'), true);
  run(asic, pool, 1);
  const snaps = asic.snapshots(0);
  assert.deepEqual(
    snaps.map((s) => s.device),
    ['board0', 'board1', 'board2', 'total'],
  );
  assert.equal(snaps[1].hashrate_5s, 0);
  assert.equal(snaps[1].temp_chip_max_c, null);
  assert.equal(snaps[1].clock_core_mhz, null);
  assert.ok(Math.abs(asic.hashrate5s / before - 2 / 3) < 0.05);
  assert.ok(asic.powerW < 0.8 * 3200);
  assert.equal(asic.boards[1].present, false);
  // The power target now has room: the firmware retunes the remaining boards upward (5 MHz/s).
  const freq = asic.boards[0].freqMhz;
  run(asic, pool, 30);
  assert.ok(asic.boards[0].freqMhz > freq + 50);
});

test('a partial drop-out fails a fraction of chips (x in chain_acs terms) and of the board rate', () => {
  const { asic, pool } = makeAsic(4);
  asic.setFault(fault('hashboard_dropout', 'board2', 0.25), true);
  run(asic, pool, 10);
  const b = asic.boards[2];
  const dead = b.alive.length - b.alive.reduce((s, x) => s + x, 0);
  assert.equal(dead, Math.round(0.25 * S19_PRO.chipsPerBoard));
  assert.equal(b.aliveChips, S19_PRO.chipsPerBoard - dead);
  assert.ok(b.present);
  assert.ok(b.rateHs < 0.8 * asic.boards[0].rateHs);
});

test('HW errors rise with chip temperature and with undervolt', () => {
  assert.ok(hwErrorRate(S19_PRO, 1, 90, 0) > 4 * hwErrorRate(S19_PRO, 1, 80, 0));
  assert.ok(hwErrorRate(S19_PRO, 1, 80, 0.03) > 15 * hwErrorRate(S19_PRO, 1, 80, 0));
  const cool = makeAsic(5, 15);
  const hot = makeAsic(5, 15);
  hot.asic.setFan(S19_PRO.fanMinPct);
  run(cool.asic, cool.pool, 3600, 15);
  run(hot.asic, hot.pool, 3600, 15);
  assert.ok((hot.asic.snapshots(0).at(-1)!.temp_chip_max_c ?? 0) > 80);
  assert.ok(hot.asic.hwErrors > 2 * cool.asic.hwErrors + 10, `${hot.asic.hwErrors} vs ${cool.asic.hwErrors}`);
});

test('PSU sag: HW errors surge and hash rate dips while it lasts', () => {
  const healthy = makeAsic(6);
  const sag = makeAsic(6);
  sag.asic.setFault(fault('psu_sag', null), true);
  run(healthy.asic, healthy.pool, 600);
  run(sag.asic, sag.pool, 600);
  assert.ok(sag.asic.hwErrors > 10 * Math.max(1, healthy.asic.hwErrors));
  assert.ok(sag.asic.hashrate5s < 0.9 * healthy.asic.hashrate5s);
});

test('a fan failure: that fan reads 0 RPM, the others speed up, chips run hotter', () => {
  const { asic, pool } = makeAsic(7);
  run(asic, pool, 120);
  const before = { fans: asic.fanRpms(), chip: asic.snapshots(0).at(-1)!.temp_chip_max_c ?? 0 };
  asic.setFault(fault('fan_failure', 'total', 1, 2), true);
  let hottest = 0;
  for (let s = 0; s < 900; s++) {
    run(asic, pool, 1);
    hottest = Math.max(hottest, asic.snapshots(0).at(-1)!.temp_chip_max_c ?? 0);
  }
  const fans = asic.fanRpms();
  assert.equal(fans[2], 0);
  assert.ok(fans[0] > before.fans[0] + 300, `${fans[0]} vs ${before.fans[0]}`);
  assert.ok(hottest > before.chip + 2, `${hottest} vs ${before.chip}`);
});

test('thermal paste on one board: that board runs hotter than its siblings', () => {
  const { asic, pool } = makeAsic(8);
  asic.setFault(fault('thermal_paste', 'board0', 1), true);
  run(asic, pool, 1800);
  const [b0, b1] = asic.snapshots(1_800_000);
  assert.ok((b0.temp_chip_max_c ?? 0) > (b1.temp_chip_max_c ?? 0) + 10);
});

test('snapshots carry every schema field; shares and counters only on the total', () => {
  const { asic, pool } = makeAsic(9);
  run(asic, pool, 1200);
  const snaps = asic.snapshots(5);
  for (const s of snaps) for (const f of NUMERIC_FIELDS) assert.ok(f in s, f);
  assert.equal(snaps[0].accepted_shares, null);
  assert.ok((snaps[3].accepted_shares ?? 0) > 0);
  assert.equal(
    snaps[3].hw_errors,
    snaps.slice(0, 3).reduce((s, b) => s + (b.hw_errors ?? 0), 0),
  );
  assert.equal(snaps[3].diff_accepted, (snaps[3].accepted_shares ?? 0) * S19_PRO.poolDifficulty);
});
