import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type HealthInput, healthBit } from './health-bit.ts';

const healthy: HealthInput = {
  efficiencyHPerJ: 100,
  efficiencyBaselineHPerJ: 100,
  hashrateHs: 1e8,
  hashrateBaselineHs: 1e8,
  hottestC: 60,
  limitC: 83,
  latencyMs: 50,
  latencyBaselineMs: 50,
  powerW: 200,
  powerBaselineW: 200,
  badSharesStep: 0,
  allSharesStep: 2,
  throttleFlags: 0,
};

test('a steady device is healthy (bit 0)', () => {
  assert.deepEqual(healthBit(healthy), { bit: 0, reasons: [] });
});

test('each fault alone sets the bit with its reason', () => {
  const cases: [Partial<HealthInput>, string][] = [
    [{ efficiencyHPerJ: 96 }, 'efficiency_drop'],
    [{ hashrateHs: 0.9e8, efficiencyHPerJ: 100 }, 'hashrate_drop'],
    [{ hottestC: 81.5 }, 'thermal_margin'],
    [{ latencyMs: 200 }, 'latency_rise'],
    [{ powerW: 230 }, 'power_jump'],
    [{ badSharesStep: 1, allSharesStep: 3 }, 'reject_rise'],
    [{ throttleFlags: 0x80 }, 'throttled'],
  ];
  for (const [change, reason] of cases) {
    const r = healthBit({ ...healthy, ...change });
    assert.equal(r.bit, 1, reason);
    assert.deepEqual(r.reasons, [reason]);
  }
});

test('idle and operator power cap throttle reasons are not faults', () => {
  assert.equal(healthBit({ ...healthy, throttleFlags: 0x1 }).bit, 0);
  assert.equal(healthBit({ ...healthy, throttleFlags: 0x4 }).bit, 0);
});

test('unknown inputs never fire a check', () => {
  const allNull = Object.fromEntries(Object.keys(healthy).map((k) => [k, null])) as unknown as HealthInput;
  assert.equal(healthBit(allNull).bit, 0);
  assert.equal(healthBit({ ...healthy, efficiencyBaselineHPerJ: null, efficiencyHPerJ: 1 }).bit, 0);
  assert.equal(healthBit({ ...healthy, latencyMs: Number.NaN }).bit, 0);
});

test('latency below the floor never fires even when it doubles', () => {
  assert.equal(healthBit({ ...healthy, latencyMs: 110, latencyBaselineMs: 40 }).bit, 0);
});

test('property: worsening temperature never turns an unhealthy step healthy', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 120, noNaN: true }),
      fc.double({ min: 0, max: 30, noNaN: true }),
      (t, dt) => {
        const a = healthBit({ ...healthy, hottestC: t }).bit;
        const b = healthBit({ ...healthy, hottestC: t + dt }).bit;
        return b >= a;
      },
    ),
  );
});
