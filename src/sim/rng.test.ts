// Tests of the simulator's PRNG: reproducible streams, independent derived streams, and the
// distributions (uniform, normal, Poisson) within statistical bounds on fixed seeds.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Rng } from './rng.ts';

test('same seed gives the same stream; different seeds and labels give different ones', () => {
  const a = new Rng(123);
  const b = new Rng(123);
  const xs = Array.from({ length: 100 }, () => a.nextU32());
  assert.deepEqual(
    Array.from({ length: 100 }, () => b.nextU32()),
    xs,
  );
  assert.notDeepEqual(
    Array.from({ length: 5 }, () => new Rng(124).nextU32()),
    xs.slice(0, 5),
  );
  const d1 = Rng.derive(7, 'rig0/gpu0');
  const d2 = Rng.derive(7, 'rig0/gpu1');
  assert.notEqual(d1.nextU32(), d2.nextU32());
  assert.equal(Rng.derive(7, 'rig0/gpu0').nextU32(), Rng.derive(7, 'rig0/gpu0').nextU32());
});

test('uniform draws stay in [0, 1) and int(n) in [0, n) for any seed', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 1000 }), (seed, n) => {
      const r = new Rng(seed);
      for (let i = 0; i < 50; i++) {
        const u = r.next();
        assert.ok(u >= 0 && u < 1);
        const k = r.int(n);
        assert.ok(Number.isInteger(k) && k >= 0 && k < n);
      }
    }),
  );
});

test('normal draws have mean ≈ 0 and variance ≈ 1', () => {
  const r = new Rng(99);
  const n = 200_000;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    sum += z;
    sq += z * z;
  }
  const mean = sum / n;
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(sq / n - mean * mean - 1) < 0.02);
});

test('Poisson draws have mean and variance ≈ λ (exact branch and normal branch)', () => {
  for (const lambda of [0.03, 0.7, 5, 29, 80, 1000]) {
    const r = new Rng(Math.round(lambda * 1000));
    const n = 100_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const k = r.poisson(lambda);
      assert.ok(Number.isInteger(k) && k >= 0);
      sum += k;
      sq += k * k;
    }
    const mean = sum / n;
    const variance = sq / n - mean * mean;
    // 5 standard errors of the mean; variance within 5 %.
    assert.ok(Math.abs(mean - lambda) < 5 * Math.sqrt(lambda / n), `λ ${lambda}: mean ${mean}`);
    assert.ok(Math.abs(variance / lambda - 1) < 0.05, `λ ${lambda}: variance ${variance}`);
  }
  assert.equal(new Rng(1).poisson(0), 0);
  assert.equal(new Rng(1).poisson(Number.NaN), 0);
});
