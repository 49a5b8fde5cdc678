// Unit and property tests of the guard curves (kernel/guards); exact vectors are in test/conformance.
// Properties: output in [0, 1], fail closed on NaN, and the V3 curve moves the right way per input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type GuardMetrics, throttleFactor, throttleFactorLegacyScore } from './index.ts';

const metric = fc.double({ min: -2, max: 3, noNaN: true });
const metrics = fc.record({
  entropy: metric,
  coherence: metric,
  stability: metric,
  rupture: metric,
  lambda_hazard: metric,
});
const OPTIONS = { seed: 7331, numRuns: 500 };

test('guard curves stay in [0, 1] for any finite input, with or without a previous window', () => {
  fc.assert(
    fc.property(metrics, fc.option(metrics, { nil: undefined }), (cur, prev) => {
      for (const f of [throttleFactor, throttleFactorLegacyScore]) {
        const y = f(cur, prev);
        assert.ok(y >= 0 && y <= 1, `${y}`);
      }
    }),
    OPTIONS,
  );
});

test('guard curves fail closed (0) on a non-finite current metric and ignore a non-finite previous', () => {
  const ok: GuardMetrics = { entropy: 0.2, coherence: 0.8, stability: 0.9, rupture: 0.1, lambda_hazard: 0.1 };
  const bad = { ...ok, lambda_hazard: Number.NaN };
  assert.equal(throttleFactor(bad), 0);
  assert.equal(throttleFactorLegacyScore(bad), 0);
  assert.equal(throttleFactor(ok, bad), throttleFactor(ok));
  assert.equal(throttleFactorLegacyScore(ok, bad), throttleFactorLegacyScore(ok));
});

test('V3 curve: non-decreasing in C and S, non-increasing in R and λ (no previous)', () => {
  const keys = [
    ['coherence', 1],
    ['stability', 1],
    ['rupture', -1],
    ['lambda_hazard', -1],
  ] as const;
  fc.assert(
    fc.property(metrics, metric, metric, (cur, a, b) => {
      for (const [k, dir] of keys) {
        const lo = throttleFactor({ ...cur, [k]: Math.min(a, b) });
        const hi = throttleFactor({ ...cur, [k]: Math.max(a, b) });
        assert.ok(dir > 0 ? hi >= lo : hi <= lo, `${k}: ${lo} -> ${hi}`);
      }
    }),
    OPTIONS,
  );
});

test('V3 curve is a throttle, not a kill switch: 0.3·(C+S) at λ = 1 and R = 1', () => {
  const y = throttleFactor({ entropy: 0, coherence: 0.9, stability: 0.5, rupture: 1, lambda_hazard: 1 });
  assert.ok(Math.abs(y - 0.42) < 1e-12);
});
