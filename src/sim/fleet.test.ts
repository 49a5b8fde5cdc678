// Fleet-level tests: determinism under a seed, ground-truth labels, fault targeting errors, and each
// fault kind changing the right fields of the right devices (and nothing else) against a clean twin.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRigtuneError } from '../core/errors.ts';
import type { Snapshot } from '../core/snapshot.ts';
import { parseFaultSpec } from './faults.ts';
import { Fleet, type FleetOptions } from './fleet.ts';
import { THROTTLE } from './thermal.ts';

const START = Date.UTC(2026, 10, 1, 12);
const BASE: FleetOptions = { seed: 17, startMs: START, gpuRigs: 2, gpusPerRig: 3, asics: 1, settleS: 300 };

function runFleet(fleet: Fleet, seconds: number): Snapshot[][] {
  const frames: Snapshot[][] = [fleet.snapshots()];
  for (let s = 0; s < seconds; s++) {
    fleet.step(1000);
    frames.push(fleet.snapshots());
  }
  return frames;
}

function pick(frame: Snapshot[], rig: string, device: string): Snapshot {
  const s = frame.find((x) => x.rig === rig && x.device === device);
  assert.ok(s, `${rig}/${device}`);
  return s;
}

test('same seed → identical snapshots; another seed → different ones', () => {
  const opts = { ...BASE, faults: parseFaultSpec('random:3') };
  const a = runFleet(new Fleet(opts), 600);
  const b = runFleet(new Fleet(opts), 600);
  assert.deepEqual(b, a);
  const c = runFleet(new Fleet({ ...opts, seed: 18 }), 600);
  assert.notDeepEqual(c, a);
});

test('devices, names and order: GPUs per rig, then ASIC boards and total', () => {
  const fleet = new Fleet(BASE);
  const names = fleet.snapshots().map((s) => `${s.rig}/${s.device}`);
  assert.deepEqual(names, [
    'rig0/gpu0',
    'rig0/gpu1',
    'rig0/gpu2',
    'rig1/gpu0',
    'rig1/gpu1',
    'rig1/gpu2',
    'asic0/board0',
    'asic0/board1',
    'asic0/board2',
    'asic0/total',
  ]);
  assert.equal(fleet.rig('rig0').gpus[0].profile.key, 'rtx3080ti');
  assert.equal(fleet.rig('rig1').gpus[0].profile.key, 'h100');
  assert.equal(fleet.rig('rig0').gpus[1].id.pciBusId, '00000000:02:00.0');
  assert.match(
    fleet.rig('rig0').gpus[1].id.uuid,
    /^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  );
  fleet.step(1000);
  assert.ok(fleet.snapshots().every((s) => s.ts === START + 1000));
});

test('scheduled faults get labels with absolute times; unknown or mismatched targets are refused', () => {
  const fleet = new Fleet({
    ...BASE,
    faults: parseFaultSpec(
      'fan_failure@rig1/gpu0@40s,pool_latency@rig0@10s+20s*0.5,thermal_paste@asic0/board1@5s+1m',
    ),
  });
  runFleet(fleet, 60);
  assert.deepEqual(fleet.labels(), [
    {
      id: 's3',
      kind: 'thermal_paste',
      rig: 'asic0',
      device: 'board1',
      ts_start: START + 5000,
      ts_end: null,
      severity: 1,
    },
    {
      id: 's2',
      kind: 'pool_latency',
      rig: 'rig0',
      device: null,
      ts_start: START + 10_000,
      ts_end: START + 30_000,
      severity: 0.5,
    },
    {
      id: 's1',
      kind: 'fan_failure',
      rig: 'rig1',
      device: 'gpu0',
      ts_start: START + 40_000,
      ts_end: null,
      severity: 1,
    },
  ]);
  assert.equal(fleet.activeFaults().length, 2);
  for (const spec of [
    'fan_failure@rig9/gpu0@1m',
    'fan_failure@rig0/gpu7@1m',
    'fan_failure@rig0@1m',
    'hashboard_dropout@rig0/gpu0@1m',
    'driver_crash@asic0/board0@1m',
    'pool_latency@rig0/gpu0@1m',
    'hashboard_dropout@asic0/board5@1m',
  ]) {
    assert.throws(
      () => new Fleet({ ...BASE, faults: parseFaultSpec(spec) }),
      (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'),
      spec,
    );
  }
  assert.throws(
    () => new Fleet({ ...BASE, gpuRigs: -1 }),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'),
  );
  assert.throws(
    () => new Fleet(BASE).step(0),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'),
  );
  assert.throws(
    () => new Fleet(BASE).gpu('asic0', 'gpu0'),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'),
  );
});

test('random faults: Poisson rate per rig-hour, labelled, only kinds that fit the rig', () => {
  const fleet = new Fleet({ ...BASE, gpuRigs: 6, asics: 4, settleS: 0, faults: parseFaultSpec('random:2') });
  for (let s = 0; s < 3 * 3600; s += 10) fleet.step(10_000);
  const labels = fleet.labels();
  // 10 rigs × 3 h × 2/h = 60 expected (minus dropped duplicates).
  assert.ok(labels.length > 30 && labels.length < 90, `${labels.length}`);
  for (const l of labels) {
    assert.match(l.id, /^r\d+$/);
    assert.ok(l.severity >= 0.3 && l.severity <= 1);
    if (l.ts_end !== null) assert.ok(l.ts_end > l.ts_start);
    if (l.rig.startsWith('asic')) assert.ok(!['driver_crash', 'memory_errors'].includes(l.kind), l.kind);
    else assert.notEqual(l.kind, 'hashboard_dropout');
    if (['pool_latency', 'reject_storm', 'psu_sag'].includes(l.kind)) assert.equal(l.device, null);
  }
  assert.ok(new Set(labels.map((l) => l.kind)).size >= 6);
});

/** Runs a clean fleet and a faulted twin for `seconds`; returns the last frames. */
function twin(spec: string, seconds: number, act?: (f: Fleet) => void) {
  const clean = new Fleet(BASE);
  const faulty = new Fleet({ ...BASE, faults: parseFaultSpec(spec) });
  act?.(clean);
  act?.(faulty);
  const a = runFleet(clean, seconds);
  const b = runFleet(faulty, seconds);
  return { a: a.at(-1)!, b: b.at(-1)!, allA: a, allB: b };
}

/** Devices that must be untouched by a fault on `rig` (different rig → identical snapshots). */
function assertOtherRigsUnchanged(a: Snapshot[], b: Snapshot[], rig: string): void {
  for (let i = 0; i < a.length; i++)
    if (a[i].rig !== rig) assert.deepEqual(b[i], a[i], `${a[i].rig}/${a[i].device}`);
}

const cases: { spec: string; rig: string; check: (a: Snapshot[], b: Snapshot[]) => void }[] = [
  {
    spec: 'fan_failure@rig0/gpu0@1m',
    rig: 'rig0',
    check: (a, b) => {
      const [x, y] = [pick(a, 'rig0', 'gpu0'), pick(b, 'rig0', 'gpu0')];
      assert.equal(y.fan_rpm, 0);
      assert.ok((y.temp_core_c ?? 0) > (x.temp_core_c ?? 0) + 8);
      assert.ok((y.throttle_flags ?? 0) & (THROTTLE.SW_THERMAL | THROTTLE.HW_THERMAL));
      assert.deepEqual(pick(b, 'rig0', 'gpu1'), pick(a, 'rig0', 'gpu1'), 'sibling GPU untouched');
    },
  },
  {
    spec: 'thermal_paste@rig0/gpu1@1m+5m',
    rig: 'rig0',
    check: (a, b) =>
      assert.ok((pick(b, 'rig0', 'gpu1').temp_core_c ?? 0) > (pick(a, 'rig0', 'gpu1').temp_core_c ?? 0) + 8),
  },
  {
    spec: 'memory_errors@rig0/gpu2@1m',
    rig: 'rig0',
    check: (a, b) => {
      const [x, y] = [pick(a, 'rig0', 'gpu2'), pick(b, 'rig0', 'gpu2')];
      assert.ok((y.hw_errors ?? 0) > (x.hw_errors ?? 0) + 10);
      assert.ok((y.hashrate_1m ?? 0) < 0.95 * (x.hashrate_1m ?? 0));
    },
  },
  {
    spec: 'pool_latency@rig1@1m',
    rig: 'rig1',
    check: (a, b) => {
      for (const d of ['gpu0', 'gpu1', 'gpu2'])
        assert.ok(
          (pick(b, 'rig1', d).stratum_latency_ms ?? 0) > (pick(a, 'rig1', d).stratum_latency_ms ?? 0) + 500,
        );
    },
  },
  {
    spec: 'reject_storm@rig1@1m',
    rig: 'rig1',
    check: (a, b) => {
      const rej = (f: Snapshot[]) =>
        ['gpu0', 'gpu1', 'gpu2'].reduce((s, d) => s + (pick(f, 'rig1', d).diff_rejected ?? 0), 0);
      assert.ok(rej(b) > rej(a) + 10 * 4e9);
    },
  },
  {
    spec: 'psu_sag@rig0@1m',
    rig: 'rig0',
    check: (_a, b) => {
      for (const d of ['gpu0', 'gpu1', 'gpu2'])
        assert.ok((pick(b, 'rig0', d).throttle_flags ?? 0) & THROTTLE.HW_POWER_BRAKE);
    },
  },
  {
    spec: 'psu_sag@asic0@1m',
    rig: 'asic0',
    check: (a, b) =>
      assert.ok((pick(b, 'asic0', 'total').hw_errors ?? 0) > (pick(a, 'asic0', 'total').hw_errors ?? 0) + 20),
  },
  {
    spec: 'driver_crash@rig0/gpu1@1m',
    rig: 'rig0',
    check: (_a, b) => {
      const y = pick(b, 'rig0', 'gpu1');
      assert.equal(y.hashrate_5s, null);
      assert.equal(y.power_w, null);
      assert.equal(y.temp_core_c, null);
    },
  },
  {
    spec: 'hashboard_dropout@asic0/board2@1m',
    rig: 'asic0',
    check: (a, b) => {
      assert.equal(pick(b, 'asic0', 'board2').hashrate_5s, 0);
      assert.ok((pick(b, 'asic0', 'total').power_w ?? 0) < (pick(a, 'asic0', 'total').power_w ?? 0) - 300);
    },
  },
  {
    spec: 'fan_failure@asic0@1m',
    rig: 'asic0',
    check: (a, b) => {
      assert.ok(
        (pick(b, 'asic0', 'total').temp_chip_max_c ?? 0) > (pick(a, 'asic0', 'total').temp_chip_max_c ?? 0),
      );
      assert.ok((pick(b, 'asic0', 'total').fan_pct ?? 0) > (pick(a, 'asic0', 'total').fan_pct ?? 0));
    },
  },
];

for (const c of cases) {
  test(`fault ${c.spec} changes the right fields of the right devices only`, () => {
    const { a, b, allA, allB } = twin(c.spec, 10 * 60);
    c.check(a, b);
    assertOtherRigsUnchanged(a, b, c.rig);
    // Before the fault starts (1 min) the twins are identical.
    assert.deepEqual(allB[59], allA[59]);
  });
}

test('ignore_writes: the write is acknowledged but the read-back shows the old limit', () => {
  const fleet = new Fleet({
    ...BASE,
    faults: parseFaultSpec('ignore_writes@rig0/gpu0@0s,ignore_writes@asic0@0s'),
  });
  assert.equal(fleet.setPowerLimit('rig0', 'gpu0', 200).status, 'applied');
  assert.equal(fleet.setPowerLimit('rig0', 'gpu1', 200).status, 'applied');
  assert.equal(fleet.setPowerLimit('asic0', 'total', 2000).applied, 2000);
  fleet.step(1000);
  assert.equal(pick(fleet.snapshots(), 'rig0', 'gpu0').power_limit_w, 350);
  assert.equal(pick(fleet.snapshots(), 'rig0', 'gpu1').power_limit_w, 200);
  assert.equal(pick(fleet.snapshots(), 'asic0', 'total').power_limit_w, 3250);
  assert.equal(fleet.setFan('rig1', 'gpu0', 50).status, 'unsupported');
  assert.equal(fleet.setFan('asic0', 'total', 80).status, 'applied');
});
