// Properties of the GPU physics functions: monotone V/f and power, the power-cap solver fits the
// limit, memory-bound vs core-bound hash rate, airflow and fan curve, overclock penalties.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  airflowConductance,
  boardPowerW,
  fanCurvePct,
  fitCoreClockMhz,
  fitMemClockMhz,
  idealHashrate,
  instability,
  voltageAt,
} from './gpu-model.ts';
import { ALGORITHM_NAMES, H100_SXM, RTX_3080_TI } from './gpu-profiles.ts';

const PROFILES = [RTX_3080_TI, H100_SXM];

test('voltage and power rise with core clock; an offset lowers voltage at the same clock', () => {
  for (const p of PROFILES) {
    let lastV = 0;
    let lastP = 0;
    for (let f = p.coreMinMhz; f <= p.coreMaxMhz; f += 15) {
      const v = voltageAt(p, f, 0);
      const w = boardPowerW(p, 'kawpow', f, p.memDefaultMhz, 0, 60);
      assert.ok(v >= lastV && w > lastP);
      lastV = v;
      lastP = w;
    }
    assert.ok(voltageAt(p, p.coreMaxMhz, 100) < voltageAt(p, p.coreMaxMhz, 0));
  }
});

test('the fitted clock is the highest that keeps power within the limit', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...PROFILES),
      fc.constantFrom(...ALGORITHM_NAMES),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 20, max: 100, noNaN: true }),
      fc.integer({ min: -300, max: 0 }),
      (p, algo, x, tempC, offset) => {
        const limitW = p.powerLimitMinW + x * (p.powerLimitMaxW - p.powerLimitMinW);
        const mem = p.memDefaultMhz;
        const f = fitCoreClockMhz(p, algo, p.coreMaxMhz, mem, offset, tempC, limitW);
        assert.ok(f >= p.coreMinMhz && f <= p.coreMaxMhz);
        const w = boardPowerW(p, algo, f, mem, offset, tempC);
        if (f > p.coreMinMhz) {
          assert.ok(w <= limitW + 1e-6, `${w} > ${limitW}`);
          if (f < p.coreMaxMhz) assert.ok(boardPowerW(p, algo, f + 1, mem, offset, tempC) > limitW);
        } else {
          const m = fitMemClockMhz(p, algo, mem, f, offset, tempC, limitW);
          const after = boardPowerW(p, algo, f, m, offset, tempC);
          assert.ok(after <= limitW + 1e-6 || m === p.memMinMhz);
        }
      },
    ),
  );
});

test('Ethash is memory-bound (∝ memory clock, saturating in core); KawPow is core-bound', () => {
  const p = RTX_3080_TI;
  const e1 = idealHashrate(p, 'ethash', 1800, 8000);
  const e2 = idealHashrate(p, 'ethash', 1800, 10000);
  assert.ok(Math.abs(e2 / e1 - 10000 / 8000) < 1e-9);
  const lowCore = idealHashrate(p, 'ethash', 600, 9501);
  const highCore = idealHashrate(p, 'ethash', 1800, 9501);
  const higherCore = idealHashrate(p, 'ethash', 2000, 9501);
  assert.ok(lowCore < 0.6 * highCore, 'core starves memory at low clocks');
  assert.ok(higherCore / highCore < 1.01, 'saturated: more core adds < 1 %');
  const k1 = idealHashrate(p, 'kawpow', 1500, 9501);
  const k2 = idealHashrate(p, 'kawpow', 1800, 9501);
  assert.ok(Math.abs(k2 / k1 - 1.2) < 1e-9);
  // Calibration: ~110 MH/s Ethash and ~31 MH/s KawPow at stock.
  assert.ok(Math.abs(idealHashrate(p, 'ethash', 1860, 9501) / 110e6 - 1) < 0.05);
  assert.ok(Math.abs(idealHashrate(p, 'kawpow', 1860, 9501) / 30.8e6 - 1) < 0.05);
});

test('stock power: RTX 3080 Ti under its 350 W limit on Ethash, over it on KawPow; H100 over 700 W', () => {
  const r = RTX_3080_TI;
  assert.ok(boardPowerW(r, 'ethash', 1860, 9501, 0, 65) < 350);
  assert.ok(boardPowerW(r, 'kawpow', 1860, 9501, 0, 65) > 350);
  assert.ok(boardPowerW(H100_SXM, 'ethash', 1980, 2619, 0, 70) > 700);
});

test('airflow conductance grows with fan speed; the fan curve is monotone and bounded', () => {
  for (const p of PROFILES) assert.ok(airflowConductance(p, 100) > airflowConductance(p, 50));
  assert.equal(airflowConductance(RTX_3080_TI, 0), RTX_3080_TI.gNaturalWPerK);
  let last = 0;
  for (let t = 0; t <= 110; t++) {
    const f = fanCurvePct(RTX_3080_TI, t);
    assert.ok(f >= last && f >= 30 && f <= 100);
    last = f;
  }
  assert.equal(fanCurvePct(H100_SXM, 80), 0);
});

test('offsets within the stable range cost nothing; beyond, hash rate falls and errors rise', () => {
  const p = RTX_3080_TI;
  assert.deepEqual(instability(p, 100, 1000), { hashFactor: 1, rejectProb: 0, errorsPerS: 0 });
  const mem = instability(p, 0, p.memOffsetStableMhz + 400);
  assert.ok(mem.hashFactor < 0.7 && mem.rejectProb > 0.05);
  const core = instability(p, p.coreOffsetStableMhz + 100, 0);
  assert.ok(core.errorsPerS > 0.05 && core.rejectProb > 0.1);
});
