// The pure readers of tuner-state and constraints replies: the shapes of the OpenAPI examples and of
// wire-formats §3.4, uint64 watts as strings, and every malformed shape reported, never guessed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { powerTargetLimitsOf, tunerTargetOf } from './replies.ts';

test('tuner-state: mode_state-wrapped (REST), top-level (§3.4 capture) and string watts', () => {
  // OpenAPI 1.7.0 GetTunerStateResponse example.
  const rest = {
    mode_state: {
      powertargetmodestate: {
        current_target: { watt: 3000 },
        profile: { created: { nanos: 0, seconds: 1744000000 }, target: { watt: 3000 } },
      },
    },
    overall_tuner_state: 1,
  };
  assert.deepEqual(tunerTargetOf(rest), { kind: 'power', watt: 3000 });
  // wire-formats §3.4, BOS 26.04: `overall_tuner_state` 5, `powertargetmodestate{current_target.watt 3500}`.
  const flat = {
    overall_tuner_state: 5,
    powertargetmodestate: { current_target: { watt: 3500 }, profile: { target: { watt: 3500 } } },
  };
  assert.deepEqual(tunerTargetOf(flat), { kind: 'power', watt: 3500 });
  assert.deepEqual(
    tunerTargetOf({ mode_state: { powertargetmodestate: { current_target: { watt: '3250' } } } }),
    {
      kind: 'power',
      watt: 3250,
    },
  );
});

test('tuner-state without a power target says why; malformed replies are unknown', () => {
  const hashrate = {
    overall_tuner_state: 5,
    mode_state: { hashratetargetmodestate: { current_target: {} } },
  };
  assert.equal(tunerTargetOf(hashrate).kind, 'none');
  assert.match((tunerTargetOf(hashrate) as { why: string }).why, /hashrate-target/);
  assert.equal(tunerTargetOf({ overall_tuner_state: 1 }).kind, 'none');
  for (const bad of [
    null,
    [],
    'x',
    {},
    { mode_state: { powertargetmodestate: {} } },
    { mode_state: { powertargetmodestate: { current_target: { watt: -5 } } } },
    { mode_state: { powertargetmodestate: { current_target: { watt: 3000.5 } } } },
    { mode_state: { powertargetmodestate: { current_target: { watt: '3e3' } } } },
  ])
    assert.equal(tunerTargetOf(bad).kind, 'unknown', JSON.stringify(bad));
});

test('constraints: tuner_constraints.power_target min/max/default in W, step 1', () => {
  const reply = {
    tuner_constraints: {
      default_mode: 1,
      power_target: { default: { watt: 3500 }, min: { watt: 2800 }, max: { watt: 4200 } },
    },
  };
  assert.deepEqual(powerTargetLimitsOf(reply), { min: 2800, max: 4200, step: 1, default: 3500 });
  const noDefault = { tuner_constraints: { power_target: { min: { watt: '100' }, max: { watt: 200 } } } };
  assert.deepEqual(powerTargetLimitsOf(noDefault), { min: 100, max: 200, step: 1, default: null });
  for (const bad of [
    {},
    { tuner_constraints: null },
    { tuner_constraints: { default_mode: 1 } },
    { tuner_constraints: { power_target: { min: { watt: 300 }, max: { watt: 200 } } } },
    { tuner_constraints: { power_target: { min: { watt: 100 } } } },
  ])
    assert.equal(powerTargetLimitsOf(bad), null, JSON.stringify(bad));
});

test('any JSON value: the readers return a verdict and never throw', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const t = tunerTargetOf(v);
      assert.ok(['power', 'none', 'unknown'].includes(t.kind));
      if (t.kind === 'power') assert.ok(Number.isSafeInteger(t.watt) && t.watt >= 0);
      const l = powerTargetLimitsOf(v);
      if (l !== null) assert.ok(l.min <= l.max);
    }),
    { seed: 5, numRuns: 300 },
  );
});
