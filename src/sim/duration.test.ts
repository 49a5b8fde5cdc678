// Tests of the duration parser shared by `rigtune sim` flags and fault specs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRigtuneError } from '../core/errors.ts';
import { parseDurationMs } from './duration.ts';

test('durations with units and compound forms', () => {
  assert.equal(parseDurationMs('1h'), 3_600_000);
  assert.equal(parseDurationMs('40m'), 2_400_000);
  assert.equal(parseDurationMs('1h30m'), 5_400_000);
  assert.equal(parseDurationMs('2.5s'), 2500);
  assert.equal(parseDurationMs('500ms'), 500);
  assert.equal(parseDurationMs('1d'), 86_400_000);
  assert.equal(parseDurationMs(' 5s '), 5000);
  assert.equal(parseDurationMs('0'), 0);
});

test('anything else is RT_CONFIG_INVALID naming the field', () => {
  for (const bad of ['', '5', 'h', '1x', '1h30', '-5s', '1 h', 'abc']) {
    assert.throws(
      () => parseDurationMs(bad, 'step'),
      (err) => isRigtuneError(err, 'RT_CONFIG_INVALID') && err.where.field === 'step',
      bad,
    );
  }
});
