// Each rule's split for the engine's hot path agrees with the rule itself: `state` is the finding's
// state (null where the rule returns null) and `gist` its severity and delta, over random readings.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { RuptureClass } from '../../../core/scores.ts';
import { DEFAULT_ADVISORY_OPTIONS as D } from '../options.ts';
import { snapOf, T0, tickOf, withRules } from '../test-kit.ts';
import type { DeviceView } from '../types.ts';
import { boardIndex } from './common.ts';
import { DEVICE_RULE_SET, RIG_RULE_SET } from './index.ts';

/** A reading: absent, odd (NaN, ∞) or a value in [lo, hi], whole or not. */
const reading = (lo: number, hi: number) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0) },
    { weight: 6, arbitrary: fc.integer({ min: lo, max: hi }) },
    { weight: 3, arbitrary: fc.double({ min: lo, max: hi, noNaN: true }) },
  );

const viewArb = fc
  .record({
    device: fc.constantFrom('gpu0', 'gpu1', 'board0', 'board2', 'total', 'pool:sim'),
    hasSnapshot: fc.boolean(),
    /** A sample with none of the main readings (device_stale's trigger). */
    isEmpty: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
    values: fc.record({
      hashrate_5s: reading(0, 2),
      hashrate_1m: reading(0, 2),
      hashrate_expected: reading(0, 2),
      power_w: reading(0, 800),
      power_limit_w: reading(-10, 800),
      temp_core_c: reading(40, 100),
      temp_mem_c: reading(60, 120),
      temp_chip_max_c: reading(50, 100),
      fan_pct: reading(0, 100),
      fan_rpm: reading(0, 3000),
      clock_core_mhz: reading(0, 2000),
      throttle_flags: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 255 })),
      stratum_latency_ms: reading(0, 3000),
      hw_errors: reading(0, 1000),
    }),
    kpis: fc.record({
      eff_norm: reading(0, 1),
      hashrate_ratio: fc.oneof(reading(0, 1), fc.double({ min: 0.7, max: 1, noNaN: true })),
      reject_rate: fc.oneof(reading(0, 1), fc.double({ min: 0, max: 0.2, noNaN: true })),
      reject_rate_ci95: fc.oneof(
        fc.constant(null),
        fc.tuple(fc.double({ min: 0, max: 0.2, noNaN: true }), fc.double({ min: 0, max: 0.3, noNaN: true })),
      ),
      shares_in_window: reading(0, 500),
    }),
    rupture: fc.constantFrom<RuptureClass>('none', 'micro', 'meso', 'macro'),
    changing: fc.subarray(['reject_rate', 'stratum_latency_ms', 'temp_core_c']),
    hwPerMin: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 30, noNaN: true })),
    hwCount: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 200 })),
    freshness: fc.constantFrom('fresh', 'stale', 'missing'),
  })
  .map(
    (r): DeviceView => ({
      rig: 'rig0',
      device: r.device,
      board: boardIndex(r.device),
      tick: tickOf('rig0', r.device, T0, {
        kpis: r.kpis as never,
        rupture_class: r.rupture,
        channels_changing: r.changing,
      }),
      snapshot: !r.hasSnapshot
        ? null
        : snapOf(
            'rig0',
            r.device,
            T0,
            r.isEmpty ? { stratum_latency_ms: r.values.stratum_latency_ms } : r.values,
          ),
      hwErrorsPerMin: r.hwPerMin,
      hwErrorsInWindow: r.hwCount,
      hwErrorsSpanS: r.hwCount === null ? null : 600,
      freshness: r.freshness,
    }),
  );

const optionsArb = fc.constantFrom(
  D,
  { ...D, escalate_on_macro: false },
  withRules({ lower_core_clock: { throttle_mask: 0xff }, check_power_supply: { throttle_mask: 0x4 } }),
  withRules({ check_pool: { min_shares: 0, reject_trigger: 0.01 }, raise_fan: { fan_max_pct: 100 } }),
);

test('device rules: state and gist are what the full finding says', () => {
  fc.assert(
    fc.property(viewArb, optionsArb, (view, o) => {
      for (const e of DEVICE_RULE_SET) {
        const f = e.rule(view, o);
        const state = e.state(view, o);
        assert.equal(state, f === null ? null : f.state, e.kind);
        if (f !== null) assert.deepEqual(e.gist(view, o), { severity: f.severity, delta: f.delta }, e.kind);
      }
    }),
    { numRuns: 3000, seed: 4242 },
  );
});

test('rig rules: state and gist are what the full finding says', () => {
  fc.assert(
    fc.property(fc.array(viewArb, { maxLength: 6 }), optionsArb, (views, o) => {
      for (const e of RIG_RULE_SET) {
        const f = e.rule('rig0', views, o);
        assert.equal(e.state('rig0', views, o), f === null ? null : f.state, e.kind);
        if (f !== null)
          assert.deepEqual(e.gist('rig0', views, o), { severity: f.severity, delta: f.delta }, e.kind);
      }
    }),
    { numRuns: 2000, seed: 4243 },
  );
});
