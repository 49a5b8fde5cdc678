// Unit tests of rejectRate: difficulty weighting, the share-count fallback, optional stale counters,
// nulls for empty windows or missing counters, and negative deltas never turning into rates.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { rejectRate, type ShareDeltas } from './index.ts';

const NONE: ShareDeltas = {
  accepted_shares: null,
  rejected_shares: null,
  stale_shares: null,
  diff_accepted: null,
  diff_rejected: null,
  diff_stale: null,
};

test('difficulty-weighted when difficulty deltas exist: (rej + stale) / all', () => {
  const r = rejectRate({
    accepted_shares: 98,
    rejected_shares: 1,
    stale_shares: 1,
    diff_accepted: 9800,
    diff_rejected: 400,
    diff_stale: 0,
  });
  assert.equal(r.reject_rate, 400 / 10200);
  assert.equal(r.reject_basis, 'difficulty');
  assert.equal(r.shares_in_window, 100);
  assert.equal(r.bad_shares_in_window, 2);
});

test('falls back to share counts when difficulty counters are absent', () => {
  const r = rejectRate({ ...NONE, accepted_shares: 95, rejected_shares: 3, stale_shares: 2 });
  assert.equal(r.reject_rate, 5 / 100);
  assert.equal(r.reject_basis, 'shares');
});

test('a missing stale counter is left out of both sums, not invented', () => {
  const r = rejectRate({ ...NONE, accepted_shares: 9, rejected_shares: 1 });
  assert.equal(r.reject_rate, 0.1);
  assert.equal(r.shares_in_window, 10);
});

test('null when no shares in the window, when counters are missing, or when deltas are negative', () => {
  assert.equal(
    rejectRate({ ...NONE, accepted_shares: 0, rejected_shares: 0, stale_shares: 0 }).reject_rate,
    null,
  );
  assert.equal(rejectRate(NONE).reject_rate, null);
  assert.equal(rejectRate(null).reject_rate, null);
  assert.equal(rejectRate({ ...NONE, accepted_shares: 10, rejected_shares: -3 }).reject_rate, null);
  assert.equal(rejectRate({ ...NONE, accepted_shares: 10 }).reject_rate, null);
});

test('reject rate is null or in [0, 1] for any deltas, with a share count when counts are present', () => {
  const d = fc.option(fc.double(), { nil: null });
  fc.assert(
    fc.property(d, d, d, d, d, d, (a, r, s, da, dr, ds) => {
      const out = rejectRate({
        accepted_shares: a,
        rejected_shares: r,
        stale_shares: s,
        diff_accepted: da,
        diff_rejected: dr,
        diff_stale: ds,
      });
      if (out.reject_rate !== null) assert.ok(out.reject_rate >= 0 && out.reject_rate <= 1);
      if (out.shares_in_window !== null) assert.ok(Number.isFinite(out.shares_in_window));
    }),
    { seed: 99, numRuns: 500 },
  );
});
