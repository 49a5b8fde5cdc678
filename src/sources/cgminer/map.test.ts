// Per-dialect mapping of real (and reconstructed) fixture replies: every snapshot field the mapper
// fills, with its unit (hash rates in H/s, °C, W, RPM, %), and null everywhere else.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertSnapshot } from '../../../test/helpers/snapshot-assert.ts';
import { readCgminerJson } from '../../protocols/cgminer/index.ts';
import { detectDialect } from './detect.ts';
import { DIALECTS } from './dialects/index.ts';
import { type CgminerMapResult, mapCgminer } from './map.ts';
import { QuirkLog } from './values.ts';

const GH = 1e9;
const MH = 1e6;

/** Maps every `<command>.json` of a fixture folder as one poll at `ts`. */
function mapFixture(folder: string, ts: number, rig = 'rig-a'): CgminerMapResult {
  const dir = new URL(`./fixtures/${folder}/`, import.meta.url);
  const replies: Record<string, unknown> = {};
  const quirks = new QuirkLog();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const read = readCgminerJson(readFileSync(new URL(name, dir)));
    replies[name.slice(0, -5)] = read.value;
    quirks.addAll(read.quirks);
  }
  const identity = detectDialect(replies, quirks);
  return mapCgminer(DIALECTS[identity.dialect], replies, { ts, rig, identity, quirks: quirks.list() });
}

function raw(r: CgminerMapResult, device: string, field: string) {
  return r.raw.find((x) => x.device === device && x.field === field)?.value;
}

const devicesOf = (r: CgminerMapResult) => r.snapshots.map((s) => s.device);

test('Antminer S19 Pro (bmminer 49.0.1.3): totals from summary, boards from stats, GH/s → H/s', () => {
  const ts = 1_671_005_003_000;
  const r = mapFixture('antminer/49.0.1.3', ts);
  const id = (device: string) => ({ ts, rig: 'rig-a', device });
  assert.deepEqual(devicesOf(r), ['total', 'board1', 'board2', 'board3']); // chain 4 is empty
  assertSnapshot(r.snapshots[0], id('total'), {
    hashrate_5s: 110566.89 * GH, // summary "GHS 5s"
    hashrate_expected: 110000 * GH, // stats total_rateideal, rate_unit "GH"
    temp_chip_max_c: 78, // max over boards
    fan_rpm: 6000, // max of fan1..fan4
    accepted_shares: 4057,
    rejected_shares: 11,
    stale_shares: 1,
    diff_accepted: 1305083904,
    diff_rejected: 2490368,
    diff_stale: 0,
    hw_errors: 562,
  });
  assertSnapshot(r.snapshots[1], id('board1'), {
    hashrate_5s: 37603.3 * GH,
    temp_chip_max_c: 78,
    clock_core_mhz: 525,
    hw_errors: 183,
  });
  assertSnapshot(r.snapshots[2], id('board2'), {
    hashrate_5s: 35536.22 * GH,
    temp_chip_max_c: 71,
    clock_core_mhz: 525,
    hw_errors: 195,
  });
  assertSnapshot(r.snapshots[3], id('board3'), {
    hashrate_5s: 37427.38 * GH,
    temp_chip_max_c: 69,
    clock_core_mhz: 525,
    hw_errors: 184,
  });
  // The firmware's own reject % says 0.0 while the difficulty counters say ≈0.19 %: raw only.
  assert.equal(raw(r, 'total', 'summary.Pool Rejected%'), 0);
  const total = r.snapshots[0];
  assert.ok(Math.abs(total.diff_rejected! / (total.diff_accepted! + total.diff_rejected!) - 0.0019) < 0.0001);
  assert.equal(raw(r, 'board1', 'stats.chain_acn'), 114);
  assert.equal(raw(r, 'board1', 'stats.chain_acs.ok'), 114);
  assert.equal(raw(r, 'board1', 'stats.chain_acs.bad'), 0);
  assert.equal(raw(r, 'board1', 'stats.temp_pcb'), '73-45-64-65');
  assert.equal(raw(r, 'total', 'pools.last_share_age_s'), 3);
  assert.equal(raw(r, 'total', 'pools.Pool Stale%'), 0); // wire key "Pool Stale%%"
  assert.deepEqual(r.devices[0], { device: 'total', model: 'Antminer S19 Pro', firmware: '49.0.1.3' });
  assert.deepEqual(r.devices[1], { device: 'board1', model: 'Antminer S19 Pro', firmware: '49.0.1.3' });
  assert.deepEqual([...r.quirks].sort(), ['key-spelling-drift', 'last-share-time-clock', 'number-as-string']);
  assert.deepEqual(r.warnings, []);
});

test('Antminer S17 Pro (19.10.1.3) stats alone: strings, total_rate drift, 16 slots, zero ideal rates', () => {
  const ts = 1_576_765_846_000;
  const r = mapFixture('antminer/19.10.1.3', ts);
  const id = (device: string) => ({ ts, rig: 'rig-a', device });
  assert.deepEqual(devicesOf(r), ['total', 'board1', 'board2', 'board3']);
  assertSnapshot(r.snapshots[0], id('total'), {
    hashrate_5s: 54997.01 * GH, // stats "GHS 5s" string, used because no summary answered
    hashrate_expected: 53619 * GH,
    temp_chip_max_c: 80,
    fan_rpm: 3120,
  });
  // chain_rateideal{n} are 0.00 on this build: unknown, not an expectation of 0 H/s.
  assertSnapshot(r.snapshots[1], id('board1'), {
    hashrate_5s: 17968.26 * GH,
    temp_chip_max_c: 80,
    clock_core_mhz: 570,
    hw_errors: 731,
  });
  assertSnapshot(r.snapshots[2], id('board2'), {
    hashrate_5s: 18418 * GH,
    temp_chip_max_c: 75,
    clock_core_mhz: 560,
    hw_errors: 1074,
  });
  assertSnapshot(r.snapshots[3], id('board3'), {
    hashrate_5s: 18610.75 * GH,
    temp_chip_max_c: 63,
    clock_core_mhz: 566,
    hw_errors: 1080,
  });
  assert.equal(raw(r, 'total', 'stats.total rate'), 54997);
  assert.deepEqual([...r.quirks].sort(), ['key-spelling-drift', 'number-as-string']);
});

test('Whatsminer M31S (btminer 20201202.22.REL): MH/s → H/s, power, fans, boards by Slot', () => {
  const ts = 1_612_175_440_000;
  const r = mapFixture('whatsminer/20201202.22.REL', ts);
  const id = (device: string) => ({ ts, rig: 'rig-a', device });
  assert.deepEqual(devicesOf(r), ['total', 'board0', 'board1', 'board2']);
  assertSnapshot(r.snapshots[0], id('total'), {
    hashrate_5s: 92768288.94 * MH,
    hashrate_1m: 77909448.6 * MH,
    hashrate_expected: 75697 * GH, // "Factory GHS"
    power_w: 3553,
    power_limit_w: 3600,
    temp_chip_max_c: 93, // "Chip Temp Max"
    temp_inlet_c: 7, // "Env Temp"
    fan_rpm: 5700, // max of "Fan Speed In" 5700 / "Fan Speed Out" 0; PSU fan left out
    accepted_shares: 2296,
    rejected_shares: 1,
    stale_shares: 0,
    diff_accepted: 588906496,
    diff_rejected: 262144,
    diff_stale: 0,
    hw_errors: 0,
  });
  assertSnapshot(r.snapshots[1], id('board0'), {
    hashrate_5s: 25012892.74 * MH,
    hashrate_1m: 24720718.63 * MH,
    temp_chip_max_c: 77.44,
    clock_core_mhz: 686,
    hw_errors: 0,
  });
  assertSnapshot(r.snapshots[2], id('board1'), {
    hashrate_5s: 26032487.18 * MH,
    hashrate_1m: 26026621.49 * MH,
    temp_chip_max_c: 93,
    clock_core_mhz: 726,
    hw_errors: 0,
  });
  assertSnapshot(r.snapshots[3], id('board2'), {
    hashrate_5s: 25944861.7 * MH,
    hashrate_1m: 25862805.06 * MH,
    temp_chip_max_c: 89.17,
    clock_core_mhz: 718,
    hw_errors: 0,
  });
  assert.equal(raw(r, 'total', 'summary.Power_RT'), 3552);
  assert.equal(raw(r, 'total', 'summary.Power Fanspeed'), 7608);
  assert.equal(raw(r, 'total', 'summary.Error Code 2'), 131);
  assert.equal(raw(r, 'board1', 'edevs.Effective Chips'), 105);
  assert.equal(raw(r, 'total', 'pools.POOL'), 1); // 1-based on this firmware, kept as sent
  assert.equal(raw(r, 'total', 'pools.last_share_age_s'), 11); // epoch 1612175429, 11 s before ts
  assert.deepEqual(r.devices[0], { device: 'total', firmware: '20201202.22.REL' }); // quotes stripped
  assert.deepEqual([...r.quirks].sort(), ['last-share-time-epoch', 'quotes-in-string']);
});

test('Braiins OS+ S9 (BOSminer 0.2.0): MH/s → H/s, tuner power, fans, boards by chain ID 6..8', () => {
  const ts = 1_597_188_000_000;
  const r = mapFixture('braiins/0.2.0-36c56a9363', ts);
  const id = (device: string) => ({ ts, rig: 'rig-a', device });
  assert.deepEqual(devicesOf(r), ['total', 'board6', 'board7', 'board8']);
  assertSnapshot(r.snapshots[0], id('total'), {
    hashrate_5s: 15740915.842676325 * MH,
    hashrate_1m: 13967276.98800245 * MH,
    hashrate_expected: 3 * 4668300 * MH, // sum of devs "Nominal MHS"
    power_w: 1259, // tunerstatus ApproximateMinerPowerConsumption
    power_limit_w: 1300,
    fan_rpm: 3780,
    fan_pct: 40,
    accepted_shares: 153,
    rejected_shares: 0,
    stale_shares: 0,
    diff_accepted: 10027008,
    diff_rejected: 0,
    diff_stale: 0,
    hw_errors: 186,
  });
  // temps "Chip" 0.0 = no chip sensor on this build: temp_chip_max_c stays null; "Board" is raw.
  const boards: [string, number, number, number][] = [
    ['board6', 4683070.74742169, 3591737.9840682694, 0],
    ['board7', 4687913.424447901, 3752083.429785603, 0],
    ['board8', 4213098.705765925, 3623807.073211736, 1],
  ];
  for (const [device, r5s, r1m, hw] of boards)
    assertSnapshot(r.snapshots.find((s) => s.device === device)!, id(device), {
      hashrate_5s: r5s * MH,
      hashrate_1m: r1m * MH,
      hashrate_expected: 4668300 * MH,
      hw_errors: hw,
    });
  assert.equal(raw(r, 'board6', 'temps.Board'), 75);
  assert.equal(raw(r, 'total', 'summary.Device Hardware%'), 0.001644850292093576);
  assert.equal(raw(r, 'total', 'pools.last_share_age_s'), 103);
  assert.deepEqual(r.devices[0], { device: 'total', firmware: '0.2.0-36c56a9363' });
});

test('LuxOS S19k Pro: bmminer stats boards, power, fan duty, intake/exhaust temps from METADATA', () => {
  const ts = 1_744_110_000_000;
  const r = mapFixture('luxos/2025.4.8.220305-57b389c7', ts);
  const id = (device: string) => ({ ts, rig: 'rig-a', device });
  assert.deepEqual(devicesOf(r), ['total', 'board1', 'board2', 'board3']);
  assertSnapshot(r.snapshots[0], id('total'), {
    hashrate_5s: 59756.06 * GH,
    hashrate_1m: 59612.4 * GH,
    hashrate_expected: 61954.2 * GH, // stats total_rateideal
    power_w: 1051, // power.Watts (PSU false: firmware estimate, see raw)
    fan_pct: 20,
    fan_rpm: 2340,
    temp_chip_max_c: 48,
    accepted_shares: 1483,
    rejected_shares: 1,
    stale_shares: 0,
    diff_accepted: 42323968,
    diff_rejected: 32768,
    diff_stale: 0,
    hw_errors: 17,
  });
  const boards: [string, number, number, number, number, number][] = [
    ['board1', 19952.2, 19902200, 47, 34, 5],
    ['board2', 19871.43, 19821430, 46, 33, 7],
    ['board3', 19932.43, 19882430, 48, 35, 5],
  ];
  for (const [device, rate, r1m, chip, inlet, hw] of boards)
    assertSnapshot(r.snapshots.find((s) => s.device === device)!, id(device), {
      hashrate_5s: rate * GH,
      hashrate_1m: r1m * MH,
      hashrate_expected: 20651400 * MH,
      temp_chip_max_c: chip,
      temp_inlet_c: inlet, // min of "Intake" sensors
      temp_outlet_c: chip, // max of "Exhaust" sensors
      clock_core_mhz: 300,
      hw_errors: hw,
    });
  assert.equal(raw(r, 'total', 'power.PSU'), false);
  assert.equal(raw(r, 'board3', 'devs.Connector'), 'J10');
  assert.deepEqual(r.devices[0], {
    device: 'total',
    model: 'Antminer S19k Pro',
    firmware: '2025.4.8.220305-57b389c7',
  });
});

test('generic cgminer: summary totals with the unit from the key prefix, no boards guessed', () => {
  const summary = readCgminerJson(
    '{"STATUS":[{"STATUS":"S","Code":11,"Description":"cgminer 4.11.1"}],"SUMMARY":[{"Elapsed":9,"MHS 5s":"7078.84","MHS 1m":7000,"Accepted":3,"Rejected":0,"Hardware Errors":10,"Difficulty Accepted":96.0}],"id":1}',
  ).value;
  const identity = detectDialect({ summary }, new QuirkLog());
  assert.equal(identity.dialect, 'cgminer');
  const r = mapCgminer(DIALECTS.cgminer, { summary }, { ts: 5, rig: 'r', identity });
  assert.deepEqual(devicesOf(r), ['total']);
  assertSnapshot(
    r.snapshots[0],
    { ts: 5, rig: 'r', device: 'total' },
    {
      hashrate_5s: 7078.84 * MH,
      hashrate_1m: 7000 * MH,
      accepted_shares: 3,
      rejected_shares: 0,
      diff_accepted: 96,
      hw_errors: 10,
    },
  );
  assert.deepEqual(r.quirks, ['number-as-string']);
});

test('missing and malformed values stay null; an unknown rate_unit is a warning, not a guess', () => {
  const stats = {
    STATS: [
      { Type: 'Antminer S19' },
      {
        rate_unit: 'furlongs',
        chain_acn1: 114,
        chain_rate1: '1.0',
        temp_chip1: 'n/a',
        chain_hw1: -1,
        fan1: 'x',
      },
    ],
  };
  const identity = { dialect: 'antminer', evidence: 'test' } as const;
  const r = mapCgminer(
    DIALECTS.antminer,
    { stats, summary: { SUMMARY: [{ 'GHS 5s': '' }] } },
    { ts: 1, rig: 'r', identity },
  );
  assert.deepEqual(devicesOf(r), ['total', 'board1']);
  assertSnapshot(r.snapshots[1], { ts: 1, rig: 'r', device: 'board1' }, {}); // chain_hw1 -1: a bug, not a count
  assertSnapshot(r.snapshots[0], { ts: 1, rig: 'r', device: 'total' }, {});
  assert.deepEqual(r.warnings, ['Unknown rate_unit "furlongs"; per-board hash rates left null']);
});
