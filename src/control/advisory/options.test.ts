// The advisory options schema: strict keys, the defaults validate, and trigger/clear order checks.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdvisoryOptionsSchema, checkAdvisoryOptions, DEFAULT_ADVISORY_OPTIONS as D } from './options.ts';
import { withRules } from './test-kit.ts';
import { ADVICE_KINDS } from './types.ts';

test('the built-in defaults validate and every advice kind has a rule entry', () => {
  assert.deepEqual(AdvisoryOptionsSchema.parse(D), D);
  assert.deepEqual(Object.keys(D.rules).sort(), [...ADVICE_KINDS].sort());
  assert.deepEqual(checkAdvisoryOptions(D), []);
});

test('unknown keys are errors at every level', () => {
  assert.equal(AdvisoryOptionsSchema.safeParse({ tll_ms: 1000 }).success, false);
  assert.equal(AdvisoryOptionsSchema.safeParse({ rules: { raise_fans: {} } }).success, false);
  assert.equal(AdvisoryOptionsSchema.safeParse({ rules: { raise_fan: { step: 5 } } }).success, false);
  assert.equal(AdvisoryOptionsSchema.safeParse({ thermal: { core_hot_c: 75 } }).success, true);
});

test('a clear threshold on the wrong side of its trigger is reported with both keys', () => {
  const problems = checkAdvisoryOptions(withRules({ check_pool: { latency_clear_ms: 400 } }));
  assert.deepEqual(problems, [
    {
      paths: [
        ['rules', 'check_pool', 'latency_clear_ms'],
        ['rules', 'check_pool', 'latency_trigger_ms'],
      ],
      message: 'expected rules.check_pool.latency_clear_ms ≤ latency_trigger_ms (250), got 400',
    },
  ]);
  assert.equal(checkAdvisoryOptions(withRules({ inspect_hashboard: { ratio_clear: 0.5 } })).length, 1);
});
