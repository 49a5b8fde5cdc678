// Property tests of the guard rails: whatever the state and proposal, an approved action stays within
// configured ∩ device bounds and the guard-scaled step; over long random runs, never faster than the
// minimum interval, never more than the hourly cap, never during meso/macro or a cooldown.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RUPTURE_CLASSES, type RuptureClass } from '../../core/scores.ts';
import { type GuardMetrics, throttleFactor } from '../../kernel/guards/index.ts';
import { type GateInput, gateProposal } from './gate.ts';
import { intersectBounds } from './guards.ts';

const T0 = 1_700_000_000_000;

const metric = fc.oneof(
  { arbitrary: fc.double({ min: 0.5, max: 1, noNaN: true }), weight: 60 },
  { arbitrary: fc.double({ min: -0.5, max: 1.5, noNaN: true }), weight: 30 },
  { arbitrary: fc.constant(Number.NaN), weight: 1 },
);
const calm = fc.double({ min: 0.7, max: 1, noNaN: true });
const mostly = (v: boolean) =>
  fc.oneof({ arbitrary: fc.constant(v), weight: 9 }, { arbitrary: fc.constant(!v), weight: 1 });
const metrics: fc.Arbitrary<GuardMetrics> = fc.record({
  entropy: metric,
  coherence: metric,
  stability: metric,
  rupture: metric,
  lambda_hazard: metric,
});
const limitsArb = fc
  .record({
    min: fc.integer({ min: 0, max: 500 }),
    span: fc.integer({ min: 0, max: 1000 }),
    step: fc.constantFrom(undefined, 1, 5, 15),
  })
  .map(({ min, span, step }) =>
    step === undefined ? { min, max: min + span } : { min, max: min + span, step },
  );
const side = fc.option(fc.integer({ min: -100, max: 1600 }), { nil: undefined, freq: 2 });
const configuredArb = fc.option(fc.record({ min: side, max: side }), { nil: undefined, freq: 2 });

const inputArb = fc.record({
  limits: limitsArb,
  configured: configuredArb,
  /** Where the current value sits in the device range (outside it sometimes). */
  fromFrac: fc.double({ min: -0.3, max: 1.3, noNaN: true }),
  /** The proposal as a change from the current value, or a wild value. */
  delta: fc.oneof(
    { arbitrary: fc.double({ min: -300, max: 300, noNaN: true }), weight: 10 },
    { arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1e9, 1e9), weight: 1 },
  ),
  maxStep: fc.double({ min: 0.5, max: 200, noNaN: true }),
  minStep: fc.double({ min: 0.1, max: 20, noNaN: true }),
  exact: fc.boolean(),
  cls: fc.constantFrom<RuptureClass | null>('none', 'none', 'none', 'micro', ...RUPTURE_CLASSES, null),
  current: fc.option(metrics, { nil: null, freq: 10 }),
  previous: fc.option(metrics, { nil: null }),
  killed: mostly(false),
  busy: mostly(false),
  baselineReady: mostly(true),
});

/** One generated case. */
interface Input {
  readonly limits: { readonly min: number; readonly max: number; readonly step?: number };
  readonly configured: { readonly min?: number; readonly max?: number } | undefined;
  readonly fromFrac: number;
  readonly delta: number;
  readonly maxStep: number;
  readonly minStep: number;
  readonly exact: boolean;
  readonly cls: RuptureClass | null;
  readonly current: GuardMetrics | null;
  readonly previous: GuardMetrics | null;
  readonly killed: boolean;
  readonly busy: boolean;
  readonly baselineReady: boolean;
}

/** Runs the gate on `x` and checks every invariant of an approval; true when approved. */
function checkOne(x: Input): boolean {
  const from = x.limits.min + x.fromFrac * (x.limits.max - x.limits.min);
  const proposed = from + x.delta;
  const input: GateInput = {
    nowMs: T0,
    device: {
      busy: x.busy,
      lastActionMs: null,
      cooldownUntilMs: null,
      ruptureClass: x.cls,
      lastScoreMs: T0,
      current: x.current,
      previous: x.previous,
      baselineReady: x.baselineReady,
    },
    rig: { killed: x.killed, journalBroken: false, actionTimesMs: [], validating: 0 },
    limits: {
      maxStep: x.maxStep,
      minStep: x.minStep,
      minIntervalMs: 0,
      maxActionsPerHour: 100,
      maxConcurrent: 1,
      staleMs: 1000,
    },
    deviceLimits: x.limits,
    configured: x.configured,
    from,
    proposed,
    exact: x.exact,
  };
  const r = gateProposal(input);
  if (!r.ok) return false;
  const b = intersectBounds(x.limits, x.configured);
  assert.ok(b !== null);
  assert.ok(r.to >= b.min && r.to <= b.max, `to ${r.to} outside [${b.min}, ${b.max}]`);
  assert.ok(x.current !== null);
  const allowed = x.maxStep * throttleFactor(x.current, x.previous);
  assert.ok(Math.abs(r.to - from) <= allowed + 1e-9, `step ${Math.abs(r.to - from)} > ${allowed}`);
  assert.ok(Math.abs(r.to - from) >= x.minStep);
  if (b.step !== undefined)
    assert.ok(Math.abs((r.to - b.min) / b.step - Math.round((r.to - b.min) / b.step)) < 1e-6);
  if (x.exact) assert.equal(r.to, proposed);
  assert.ok(x.cls === 'none' || x.cls === 'micro');
  assert.equal(x.killed, false);
  assert.equal(x.busy, false);
  assert.equal(x.baselineReady, true);
  return true;
}

test('an approved action never leaves configured ∩ device bounds nor exceeds the scaled step (edge cases)', () => {
  fc.assert(
    fc.property(inputArb, (x) => {
      checkOne(x);
    }),
    { numRuns: 10_000, seed: 42 },
  );
});

test('the same invariants on typical inputs, most of which are approved', () => {
  let approved = 0;
  const typical: fc.Arbitrary<Input> = fc.record({
    limits: fc.constantFrom(
      { min: 100, max: 400 },
      { min: 200, max: 700 },
      { min: 210, max: 1980, step: 15 },
    ),
    configured: fc.constantFrom(undefined, { min: 150 }, { max: 650 }, { min: 250, max: 600 }),
    fromFrac: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
    delta: fc.double({ min: -100, max: 100, noNaN: true }),
    maxStep: fc.double({ min: 10, max: 60, noNaN: true }),
    minStep: fc.double({ min: 1, max: 5, noNaN: true }),
    exact: fc.boolean(),
    cls: fc.constantFrom<RuptureClass | null>('none', 'micro'),
    current: fc.record({
      entropy: calm,
      coherence: calm,
      stability: calm,
      rupture: fc.constant(0),
      lambda_hazard: fc.constant(0),
    }),
    previous: fc.constant(null),
    killed: fc.constant(false),
    busy: fc.constant(false),
    baselineReady: fc.constant(true),
  });
  fc.assert(
    fc.property(typical, (x) => {
      if (checkOne(x)) approved++;
    }),
    { numRuns: 2000, seed: 1 },
  );
  assert.ok(approved >= 200, `only ${approved} of 2000 approved: the property barely ran`);
});

/** One step of a random run: time passes, the device's class changes, a proposal comes, maybe a rollback. */
const stepArb = fc.record({
  dtMs: fc.integer({ min: 1_000, max: 900_000 }),
  cls: fc.constantFrom<RuptureClass>('none', 'none', 'none', 'micro', 'meso', 'macro'),
  proposed: fc.double({ min: 0, max: 1000, noNaN: true }),
  rollback: fc.boolean(),
});

test('over long runs: min interval, hourly cap, cooldowns and rupture classes always hold', () => {
  let approvedRuns = 0;
  fc.assert(
    fc.property(
      fc.array(stepArb, { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 0, max: 1_800_000 }),
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 0, max: 3_600_000 }),
      (steps, minIntervalMs, cap, cooldownMs) => {
        let now = T0;
        let value = 300;
        let lastActionMs: number | null = null;
        let cooldownUntilMs: number | null = null;
        const times: number[] = [];
        const calm = { entropy: 0.5, coherence: 0.9, stability: 0.9, rupture: 0, lambda_hazard: 0 };
        for (const s of steps) {
          now += s.dtMs;
          if (s.cls === 'macro') cooldownUntilMs = Math.max(cooldownUntilMs ?? 0, now + cooldownMs);
          const r = gateProposal({
            nowMs: now,
            device: {
              busy: false,
              lastActionMs,
              cooldownUntilMs,
              ruptureClass: s.cls,
              lastScoreMs: now,
              current: calm,
              previous: calm,
              baselineReady: true,
            },
            rig: { killed: false, journalBroken: false, actionTimesMs: times, validating: 0 },
            limits: {
              maxStep: 25,
              minStep: 5,
              minIntervalMs,
              maxActionsPerHour: cap,
              maxConcurrent: 1,
              staleMs: 60_000,
            },
            deviceLimits: { min: 100, max: 400 },
            configured: { min: 150, max: 350 },
            from: value,
            proposed: s.proposed,
            exact: false,
          });
          if (!r.ok) continue;
          assert.ok(s.cls === 'none' || s.cls === 'micro', `action during ${s.cls}`);
          assert.ok(cooldownUntilMs === null || now >= cooldownUntilMs, 'action during a cooldown');
          if (lastActionMs !== null)
            assert.ok(now - lastActionMs >= minIntervalMs, 'faster than the min interval');
          assert.ok(r.to >= 150 && r.to <= 350 && Math.abs(r.to - value) <= 25);
          times.push(now);
          lastActionMs = now;
          value = r.to;
          if (s.rollback) cooldownUntilMs = now + cooldownMs;
        }
        approvedRuns += times.length > 0 ? 1 : 0;
        for (const t of times)
          assert.ok(times.filter((u) => u > t - 3_600_000 && u <= t).length <= cap, 'cap per hour exceeded');
      },
    ),
    { numRuns: 500, seed: 7 },
  );
  assert.ok(approvedRuns >= 100, `only ${approvedRuns} runs took an action`);
});
