// Unit and property tests of computeKpis: units, per-sensor thermal limits, scale-free stability,
// robust eff_norm with its relative MAD floor, and null (never NaN) for every missing input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  ASIC_THERMAL_LIMITS_C,
  computeKpis,
  DEFAULT_KPI_OPTIONS,
  effNorm,
  type KpiInput,
  stabilityIndex,
  thermalHeadroom,
} from './index.ts';

const EMPTY: KpiInput = {
  hashrate_hs: null,
  hashrate_expected_hs: null,
  power_w: null,
  temp_core_c: null,
  temp_mem_c: null,
  temp_chip_max_c: null,
  temp_target_c: null,
  stratum_latency_ms: null,
  recent_hashrates_hs: [],
  recent_efficiencies_h_per_j: [],
  share_deltas: null,
};

test('efficiency in H/J and J/TH, hashrate ratio', () => {
  const k = computeKpis({ ...EMPTY, hashrate_hs: 100e12, power_w: 3000, hashrate_expected_hs: 110e12 });
  assert.equal(k.efficiency_h_per_j, 100e12 / 3000);
  assert.ok(Math.abs(k.efficiency_j_per_th! - 30) < 1e-12);
  assert.equal(k.hashrate_ratio, 100 / 110);
});

test('every KPI is null, never NaN, when its inputs are missing', () => {
  const k = computeKpis(EMPTY);
  for (const [name, value] of Object.entries(k)) assert.equal(value, null, name);
  const z = computeKpis({ ...EMPTY, hashrate_hs: 0, power_w: 0, hashrate_expected_hs: 0 });
  assert.equal(z.efficiency_h_per_j, null);
  assert.equal(z.efficiency_j_per_th, null);
  assert.equal(z.hashrate_ratio, null);
});

test('thermal headroom: the tightest sensor; temp_target_c replaces the core limit; signed', () => {
  const gpu = { temp_core_c: 70, temp_mem_c: 90, temp_chip_max_c: null, temp_target_c: null };
  assert.deepEqual(thermalHeadroom(gpu, DEFAULT_KPI_OPTIONS.thermal_limits_c), {
    headroom_c: 5,
    sensor: 'mem',
  });
  assert.deepEqual(
    thermalHeadroom({ ...gpu, temp_mem_c: null, temp_target_c: 74 }, DEFAULT_KPI_OPTIONS.thermal_limits_c),
    {
      headroom_c: 4,
      sensor: 'core',
    },
  );
  const asic = { temp_core_c: null, temp_mem_c: null, temp_chip_max_c: 95, temp_target_c: null };
  assert.deepEqual(thermalHeadroom(asic, ASIC_THERMAL_LIMITS_C), { headroom_c: -5, sensor: 'chip' });
  assert.deepEqual(thermalHeadroom(asic, DEFAULT_KPI_OPTIONS.thermal_limits_c), {
    headroom_c: null,
    sensor: null,
  });
});

test('latency budget = max(0, budget − latency)', () => {
  assert.equal(computeKpis({ ...EMPTY, stratum_latency_ms: 80 }).latency_budget_ms, 120);
  assert.equal(computeKpis({ ...EMPTY, stratum_latency_ms: 450 }).latency_budget_ms, 0);
});

test('stability index is scale-free: 1/(1 + CV²), same value in H/s and TH/s', () => {
  const ths = [100, 102, 98, 101, 99];
  const hs = ths.map((x) => x * 1e12);
  const a = stabilityIndex(ths, 5)!;
  const b = stabilityIndex(hs, 5)!;
  assert.ok(Math.abs(a - b) < 1e-12);
  assert.ok(Math.abs(a - 1 / (1 + 2.5 / 100 / 100)) < 1e-12);
  assert.equal(stabilityIndex([5, 5, 5, 5, 5], 5), 1);
  assert.equal(stabilityIndex([1, 2, 3], 5), null);
  assert.equal(stabilityIndex([0, 0, 0, 0, 0], 5), null);
});

test('eff_norm: 0.5 at the median, MAD floor relative to the median, clamps at 0 and 1', () => {
  const flat = [50, 50, 50, 50, 50];
  assert.equal(effNorm(50, flat, 5, 0.005), 0.5);
  // MAD 0 → floor 0.25; a 1 % drop is z = -0.5 / 0.75 = -2/3 (V3's 1e-6 floor would give -4).
  assert.ok(Math.abs(effNorm(49.5, flat, 5, 0.005)! - (0.5 - 2 / 3 / 8)) < 1e-12);
  assert.equal(effNorm(10, flat, 5, 0.005), 0);
  assert.equal(effNorm(90, flat, 5, 0.005), 1);
  assert.equal(effNorm(0, [0, 0, 0, 0, 0], 5, 0.005), null);
});

test('KPIs are null or finite for arbitrary (even extreme) inputs', () => {
  const x = fc.option(fc.double({ noNaN: false }), { nil: null });
  fc.assert(
    fc.property(
      x,
      x,
      x,
      x,
      x,
      fc.array(x, { maxLength: 40 }),
      fc.array(x, { maxLength: 40 }),
      (h, p, t, l, e, hs, es) => {
        const k = computeKpis({
          ...EMPTY,
          hashrate_hs: h,
          power_w: p,
          temp_core_c: t,
          stratum_latency_ms: l,
          hashrate_expected_hs: e,
          recent_hashrates_hs: hs,
          recent_efficiencies_h_per_j: es,
        });
        for (const [name, v] of Object.entries(k)) {
          if (typeof v === 'number') assert.ok(Number.isFinite(v), `${name}=${v}`);
        }
        if (k.stability_index !== null) assert.ok(k.stability_index > 0 && k.stability_index <= 1);
        if (k.eff_norm !== null) assert.ok(k.eff_norm >= 0 && k.eff_norm <= 1);
      },
    ),
    { seed: 4242, numRuns: 400 },
  );
});
