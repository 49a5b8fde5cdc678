// Unit and property tests of the reject-rise detector: evidence from counter deltas, option checks, sane
// numbers for any input, no declaration from a handful of rejects, monotone evidence, indices and refractory.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../../core/errors.ts';
import { DEFAULT_REJECT_RISE_OPTIONS, RejectRiseDetector, shareStep } from './index.ts';

const SEED = { seed: 20261127 };

test('shareStep: counts, optional stale, difficulty weighting, nulls for missing or negative deltas', () => {
  const none = { diff_accepted: null, diff_rejected: null, diff_stale: null };
  assert.deepEqual(shareStep({ accepted_shares: 3, rejected_shares: 1, stale_shares: 1, ...none }), {
    bad: 2,
    all: 5,
  });
  assert.deepEqual(shareStep({ accepted_shares: 3, rejected_shares: 1, stale_shares: null }), {
    bad: 1,
    all: 4,
  });
  // Difficulty-weighted fraction, count of trials: a rejected share of 3× difficulty weighs 3×.
  const d = shareStep({
    accepted_shares: 3,
    rejected_shares: 1,
    stale_shares: 0,
    diff_accepted: 300,
    diff_rejected: 300,
    diff_stale: 0,
  });
  assert.deepEqual(d, { bad: 2, all: 4 });
  // Zero difficulty sum with shares (inconsistent counters): the counts decide.
  assert.deepEqual(
    shareStep({ accepted_shares: 2, rejected_shares: 1, diff_accepted: 0, diff_rejected: 0 }),
    { bad: 1, all: 3 },
  );
  assert.deepEqual(shareStep({ accepted_shares: 0, rejected_shares: 0, stale_shares: 0 }), {
    bad: 0,
    all: 0,
  });
  assert.equal(shareStep({ accepted_shares: null, rejected_shares: 1 }), null);
  assert.equal(shareStep({ accepted_shares: 4, rejected_shares: -1 }), null);
  assert.equal(shareStep({ accepted_shares: Number.NaN, rejected_shares: 0 }), null);
  assert.equal(shareStep({}), null);
});

test('options: defaults are valid and bad values throw RT_KERNEL_ARGUMENT', () => {
  assert.doesNotThrow(() => new RejectRiseDetector(DEFAULT_REJECT_RISE_OPTIONS));
  const bad = [
    { hazard: 0 },
    { hazard: 1 },
    { threshold: 1 },
    { rises: [] },
    { rises: [0.2, 1] },
    { priorRate: 0 },
    { priorShares: -1 },
    { memoryShares: Number.NaN },
    { baselineLag: -1 },
    { minBaselineRate: 0 },
    { warmupShares: 1.5 },
    { minBadShares: -1 },
    { refractorySamples: 0 },
    { rebaseShares: 0 },
  ];
  for (const o of bad) {
    assert.throws(
      () => new RejectRiseDetector(o),
      (e: unknown) => isRigtuneError(e) && e.code === 'RT_KERNEL_ARGUMENT',
      JSON.stringify(o),
    );
  }
});

const anyCount = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(null, Number.POSITIVE_INFINITY, -1, 1e12),
);

test('property: any input gives a finite changeProb and baseline in [0, 1] and never throws', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(anyCount, anyCount), { maxLength: 300 }), (steps) => {
      const d = new RejectRiseDetector({ warmupShares: 0 });
      for (const [bad, all] of steps) {
        const r = d.update(bad, all);
        assert.ok(Number.isFinite(r.changeProb) && r.changeProb >= 0 && r.changeProb <= 1);
        assert.ok(Number.isFinite(r.baselineRate) && r.baselineRate > 0 && r.baselineRate < 1);
        if (r.detected !== null) {
          assert.ok(r.detected.startIndex <= r.detected.detectedIndex);
          assert.ok(r.detected.hazard >= DEFAULT_REJECT_RISE_OPTIONS.threshold);
        }
      }
    }),
    SEED,
  );
});

test('property: fewer than minBadShares bad shares in all, in any arrangement, never declare', () => {
  const step = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 }));
  fc.assert(
    fc.property(
      fc.array(step, { maxLength: 400 }),
      fc.double({ min: 0.002, max: 0.05, noNaN: true }),
      (raw, prior) => {
        // At most 3 bad shares in the whole stream (a lone burst), each step with at least as many shares.
        let budget = DEFAULT_REJECT_RISE_OPTIONS.minBadShares - 1;
        const d = new RejectRiseDetector({ warmupShares: 0, priorRate: prior });
        for (const [b, extra] of raw) {
          const bad = Math.min(b, budget);
          budget -= bad;
          assert.equal(d.update(bad, bad + extra).detected, null);
        }
      },
    ),
    SEED,
  );
});

test('a single rejected share after a clean history moves the posterior but stays far below declaring', () => {
  for (const p of [0.002, 0.01, 0.02]) {
    const d = new RejectRiseDetector({ priorRate: p });
    for (let i = 0; i < 500; i += 1) d.update(0, 1);
    const r = d.update(1, 1);
    assert.equal(r.detected, null);
    assert.ok(r.changeProb > 0 && r.changeProb < 0.05, `p ${p}: ${r.changeProb}`);
  }
});

test('property: at the same history, more bad shares in a step never lower changeProb', () => {
  const history = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 })), {
    maxLength: 120,
  });
  fc.assert(
    fc.property(history, fc.integer({ min: 1, max: 6 }), fc.nat(6), (steps, all, rawBad) => {
      const feed = () => {
        const d = new RejectRiseDetector({ warmupShares: 0, minBadShares: 1e9 });
        for (const [b, extra] of steps) d.update(b, b + extra);
        return d;
      };
      const bad = Math.min(all, rawBad);
      const lower = feed().update(bad, all).changeProb;
      const higher = feed().update(Math.min(all, bad + 1), all).changeProb;
      assert.ok(higher >= lower, `${higher} < ${lower}`);
    }),
    SEED,
  );
});

test('share-less and missing steps add no evidence but count as steps', () => {
  const d = new RejectRiseDetector({ warmupShares: 0, minBadShares: 1 });
  for (let i = 0; i < 100; i += 1) d.update(0, 2);
  const before = d.update(0, 0);
  const missing = d.update(null, 3);
  assert.equal(missing.changeProb, before.changeProb);
  assert.equal(d.update(5, 3).changeProb, before.changeProb); // bad > all: missing
  // Then a share-less step and a step of two rejected shares, by turns, until a declaration.
  let detected = null;
  for (let turn = 0; detected === null && turn < 50; turn += 1) {
    assert.equal(d.update(0, 0).detected, null);
    detected = d.update(2, 2).detected;
  }
  assert.ok(detected !== null);
  // Every call counted: 103 before the loop, then (empty, bad) pairs: the first bad step is index 104.
  assert.equal(detected.startIndex, 104);
  assert.equal((detected.detectedIndex - 104) % 2, 0);
});

test('a declaration restarts the evidence; none follows within refractorySamples', () => {
  const d = new RejectRiseDetector({ warmupShares: 0, refractorySamples: 30 });
  for (let i = 0; i < 300; i += 1) d.update(0, 1);
  const declared: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    // All shares rejected: the new segment is far above any baseline it rebased to at first.
    const r = d.update(1, 1);
    if (r.detected !== null) {
      declared.push(r.detected.detectedIndex);
      assert.ok(r.detected.segmentRate > r.detected.baselineRate);
      assert.ok(r.detected.startIndex >= 300, `start ${r.detected.startIndex}`);
    }
  }
  assert.ok(declared.length >= 1);
  assert.ok(declared[0] - 300 <= 5, `declared at ${declared[0]}`);
  for (let k = 1; k < declared.length; k += 1) assert.ok(declared[k] - declared[k - 1] >= 30);
});

test('difficulty-weighted updates equal count updates when every share has the same difficulty', () => {
  const a = new RejectRiseDetector();
  const b = new RejectRiseDetector();
  for (let i = 0; i < 400; i += 1) {
    const rej = i % 7 === 0 ? 1 : 0;
    const acc = i % 3 === 0 ? 0 : 1;
    const ra = a.updateDeltas({ accepted_shares: acc, rejected_shares: rej, stale_shares: 0 });
    const rb = b.updateDeltas({
      accepted_shares: acc,
      rejected_shares: rej,
      stale_shares: 0,
      diff_accepted: acc * 4e9,
      diff_rejected: rej * 4e9,
      diff_stale: 0,
    });
    assert.deepEqual(rb, ra);
  }
});
