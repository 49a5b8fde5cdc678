// Tests of analyzeStudy on synthetic studies with known answers: effect recovered within its
// interval, zero effect not claimed, gates (too short, carry-over, noisy), JSON-cleanliness, invariances.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RigtuneError } from '../../core/errors.ts';
import { type AbaMetric, analyzeStudy, type Estimate, type StudyResult } from './index.ts';
import { type SyntheticDevice, syntheticStudy } from './test-kit.ts';

const MIN = 60_000;
const base: SyntheticDevice = { device: 'gpu0', powerA: 300, powerB: 250, hashA: 100e6, hashB: 95e6 };
// True efficiency change: (95/250) / (100/300) − 1 = +14 %.
const TRUE_PCT = (95 / 250 / (100 / 300) - 1) * 100;

const metricOf = (r: StudyResult, i: number, m: AbaMetric) =>
  r.devices[i].metrics.find((x) => x.metric === m);
const contains = (e: Estimate | null | undefined, v: number) =>
  e != null && e.lo !== null && e.hi !== null && e.lo <= v && v <= e.hi;

test('a known efficiency change is recovered within its interval and called improved', () => {
  const s = syntheticStudy([base, { ...base, device: 'gpu1' }], 20 * MIN, 5000, 1);
  const r = analyzeStudy(s.rows, s.markers, { seed: 1, replicates: 300 });
  for (let i = 0; i < 2; i++) {
    const eff = metricOf(r, i, 'efficiency_h_per_j');
    assert.ok(contains(eff?.effect?.pct, TRUE_PCT), JSON.stringify(eff?.effect?.pct));
    assert.equal(r.devices[i].verdict.verdict, 'improved');
    const jth = metricOf(r, i, 'efficiency_j_per_th');
    assert.ok((jth?.effect?.pct?.hi ?? 0) < 0, 'J/TH falls when H/J rises');
    assert.ok(contains(metricOf(r, i, 'power_w')?.effect, -50));
    for (const p of eff?.phases ?? []) assert.ok(p.n > 200 && (p.n_eff ?? 0) > 10);
  }
  assert.equal(r.pooled.verdict.verdict, 'improved');
  assert.ok(contains(r.pooled.verdict.effect_pct, TRUE_PCT));
  assert.equal(r.study_id, 'unit');
});

test('zero true effect: no improvement or worsening is claimed', () => {
  const same = { ...base, powerB: 300, hashB: 100e6 };
  for (const seed of [2, 3, 4]) {
    const s = syntheticStudy([same], 20 * MIN, 5000, seed);
    const r = analyzeStudy(s.rows, s.markers, { seed, replicates: 300 });
    assert.ok(
      ['no_effect', 'inconclusive'].includes(r.devices[0].verdict.verdict),
      r.devices[0].verdict.reasons.join('; '),
    );
    assert.ok(contains(metricOf(r, 0, 'efficiency_h_per_j')?.effect?.pct, 0));
  }
});

test('gates: too short, carry-over and too noisy say so in words', () => {
  const short = syntheticStudy([base], 4 * MIN, 5000, 5);
  const rs = analyzeStudy(short.rows, short.markers, { seed: 1, replicates: 100 });
  assert.equal(rs.devices[0].verdict.verdict, 'inconclusive');
  assert.match(rs.devices[0].verdict.reasons.join(' '), /too short: 3\.\d min of B after settling/);
  assert.equal(rs.devices[0].pooled, false);

  const carry = syntheticStudy([{ ...base, powerA2: 270 }], 20 * MIN, 5000, 6);
  const rc = analyzeStudy(carry.rows, carry.markers, { seed: 1, replicates: 200 });
  assert.equal(rc.devices[0].verdict.verdict, 'inconclusive');
  assert.match(rc.devices[0].verdict.reasons.join(' '), /carry-over: A2 differs from A1/);
  assert.equal(metricOf(rc, 0, 'efficiency_h_per_j')?.carry_over?.flagged, true);

  const noisy = syntheticStudy(
    [{ ...base, hashB: 100e6 * (250 / 300) * 1.005, noise: 0.25, phi: 0.3 }],
    10 * MIN,
    5000,
    7,
  );
  const rn = analyzeStudy(noisy.rows, noisy.markers, { seed: 1, replicates: 200 });
  assert.equal(rn.devices[0].verdict.verdict, 'inconclusive');
  assert.match(rn.devices[0].verdict.reasons.join(' '), /too noisy: .* wider than the ±1 % that matters/);
});

test('inlet drift: the adjustment removes a fake effect the raw comparison shows', () => {
  // Power rises 3 W/°C with the inlet; the inlet peaks during B; same set-point throughout.
  const hump = (tH: number) => 25 + 10 * Math.sin((Math.PI * tH) / 1) ** 2;
  const d = { ...base, powerB: 300, hashB: 100e6, inlet: hump, powerPerC: 3, noise: 0.005 };
  const s = syntheticStudy([d], 20 * MIN, 5000, 8);
  const r = analyzeStudy(s.rows, s.markers, { seed: 1, replicates: 300 });
  const eff = metricOf(r, 0, 'efficiency_h_per_j');
  assert.ok((eff?.effect?.pct?.hi ?? 0) < -1, `raw ${JSON.stringify(eff?.effect?.pct)}`);
  assert.ok(contains(eff?.adjusted?.pct, 0), `adjusted ${JSON.stringify(eff?.adjusted?.pct)}`);
  assert.equal(r.devices[0].verdict.basis, 'adjusted');
  assert.equal(r.devices[0].verdict.verdict, 'no_effect');
  // The slope on the inlet is recovered for power (3 W/°C).
  assert.ok(contains(metricOf(r, 0, 'power_w')?.adjusted?.covariate_slope, 3));
  const off = analyzeStudy(s.rows, s.markers, { seed: 1, replicates: 300, covariate: null });
  assert.equal(off.devices[0].verdict.verdict, 'inconclusive');
  assert.match(off.devices[0].verdict.reasons.join(' '), /confounded: inlet temperature/);
});

test('share rates: a tripled reject rate is detected by the exact test and the bootstrap', () => {
  const s = syntheticStudy([{ ...base, rejectA: 0.01, rejectB: 0.03 }], 20 * MIN, 5000, 9);
  const r = analyzeStudy(s.rows, s.markers, { seed: 1, replicates: 300 });
  const rr = metricOf(r, 0, 'reject_rate');
  assert.ok((rr?.rate_test?.p_value ?? 1) < 0.001);
  assert.ok(contains(rr?.rate_test?.rate_ratio, 3));
  assert.ok((rr?.rate_test?.rate_ratio.lo ?? 0) > 1);
  assert.equal(rr?.direction, 'up');
  assert.ok(r.pooled.metrics.find((m) => m.metric === 'reject_rate')?.rate_test !== null);
});

test('the result is plain JSON and deterministic for a seed; bad options throw', () => {
  const s = syntheticStudy([base], 10 * MIN, 10_000, 10);
  const a = analyzeStudy(s.rows, s.markers, { seed: 4, replicates: 100 });
  const b = analyzeStudy(s.rows, s.markers, { seed: 4, replicates: 100 });
  assert.deepEqual(JSON.parse(JSON.stringify(a)), a);
  assert.deepEqual(a, b);
  assert.throws(() => analyzeStudy(s.rows, s.markers, { seed: 1, confidence: 1 }), RigtuneError);
  assert.throws(() => analyzeStudy(s.rows, s.markers, { seed: 1, replicates: 10 }), RigtuneError);
  const other = s.markers.map((m) => ({ ...m, study_id: 'other' }));
  assert.throws(() => analyzeStudy(s.rows, [...s.markers, ...other], { seed: 1 }), /several studies/);
});

/** Every Estimate-shaped object in the result. */
function* estimates(x: unknown): Generator<Estimate> {
  if (x === null || typeof x !== 'object') return;
  const o = x as Record<string, unknown>;
  if ('value' in o && 'lo' in o && 'hi' in o) yield o as unknown as Estimate;
  for (const v of Object.values(o)) yield* estimates(v);
}

test('property: every interval contains its estimate; a constant shift leaves effects unchanged', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1000 }),
      fc.double({ min: 0.7, max: 1.3, noNaN: true }),
      fc.double({ min: 0.001, max: 0.2, noNaN: true }),
      fc.double({ min: -50, max: 50, noNaN: true }),
      (seed, ratio, noise, shift) => {
        const d = { ...base, hashB: base.hashA * ratio, noise };
        const s = syntheticStudy([d], 8 * MIN, 10_000, seed);
        const r = analyzeStudy(s.rows, s.markers, { seed, replicates: 60, minPhaseMs: 0 });
        for (const e of estimates(r))
          if (e.value !== null && e.lo !== null && e.hi !== null)
            assert.ok(
              e.lo <= e.value + 1e-9 * Math.abs(e.value) && e.value <= e.hi + 1e-9 * Math.abs(e.value),
            );
        const shifted = s.rows.map((row) => ({ ...row, temp_core_c: (row.temp_core_c as number) + shift }));
        const r2 = analyzeStudy(shifted, s.markers, { seed, replicates: 60, minPhaseMs: 0 });
        const e1 = metricOf(r, 0, 'temp_core_c')?.effect;
        const e2 = metricOf(r2, 0, 'temp_core_c')?.effect;
        const tol = 1e-9 * (1 + Math.abs(shift) + 100);
        assert.ok(Math.abs((e1?.value ?? 0) - (e2?.value ?? 0)) < tol);
        assert.ok(Math.abs((e1?.se ?? 0) - (e2?.se ?? 0)) < tol);
      },
    ),
    { seed: 12, numRuns: 15 },
  );
});
