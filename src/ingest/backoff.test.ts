// The backoff rule alone: exponential and capped for transient kinds, longest for unsupported,
// none for answered-but-wrong replies.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelayMs, FAILURE_KINDS } from './backoff.ts';

const b = { initialMs: 500, factor: 3, maxMs: 10_000 };

test('transient kinds back off exponentially up to the cap', () => {
  for (const kind of ['connect', 'timeout', 'reset'] as const)
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => backoffDelayMs(kind, n, b)),
      [500, 1500, 4500, 10_000, 10_000],
    );
});

test('unsupported rests the longest; protocol, status and internal keep the cadence', () => {
  assert.equal(backoffDelayMs('unsupported', 1, b), 10_000);
  for (const kind of ['protocol', 'status', 'internal'] as const)
    assert.equal(backoffDelayMs(kind, 7, b), null);
  assert.equal(FAILURE_KINDS.length, 7);
});
