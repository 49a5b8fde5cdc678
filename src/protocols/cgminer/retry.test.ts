// Backoff arithmetic and the retry loop without sockets: delays stay within [d/2, d] of the capped
// exponential, only transient SourceErrors are retried, and the attempt count is honoured.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Clock } from '../../core/clock.ts';
import { RigtuneError, SourceError } from '../../core/errors.ts';
import { backoffDelayMs, withRetry } from './retry.ts';

test('the backoff is capped exponential with equal jitter (property)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 5000 }),
      fc.integer({ min: 1, max: 60000 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (retry, base, cap, r) => {
        const d = Math.min(cap, base * 2 ** (retry - 1));
        const delay = backoffDelayMs(retry, { attempts: 3, baseDelayMs: base, maxDelayMs: cap }, r);
        assert.ok(delay >= Math.floor(d / 2) && delay <= Math.ceil(d), `${delay} vs ${d}`);
      },
    ),
    { seed: 7, numRuns: 300 },
  );
  const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, policy, 1)),
    [100, 200, 400, 800, 1000],
  );
  assert.deepEqual(
    [1, 2, 3].map((n) => backoffDelayMs(n, policy, 0)),
    [50, 100, 200],
  );
});

const noWait: Clock = { nowMs: () => 0, sleep: async () => {} };

test('only transient source errors are retried, up to the attempt count', async () => {
  for (const [err, tries] of [
    [new SourceError('timeout', 't'), 3],
    [new SourceError('connect', 'c'), 3],
    [new SourceError('reset', 'r'), 3],
    [new SourceError('protocol', 'p'), 1],
    [new SourceError('status', 's'), 1],
    [new RigtuneError('RT_CONFIG_INVALID', 'x'), 1],
    [new Error('bug'), 1],
  ] as const) {
    let n = 0;
    await assert.rejects(
      withRetry(
        async () => {
          n += 1;
          throw err;
        },
        { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
        { clock: noWait, random: () => 0 },
      ),
      (e) => e === err,
    );
    assert.equal(n, tries, err.message);
  }
  let calls = 0;
  const failOnce = async (attempt: number) => {
    calls += 1;
    if (attempt < 2) throw new SourceError('reset', 'once');
    return attempt;
  };
  assert.equal(
    await withRetry(
      failOnce,
      { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      { clock: noWait, random: () => 0 },
    ),
    2,
  );
  calls = 0;
  await assert.rejects(
    withRetry(failOnce, { attempts: 0, baseDelayMs: 1, maxDelayMs: 1 }, { clock: noWait, random: () => 0 }),
  );
  assert.equal(calls, 1); // attempts below 1 still make one attempt
});
