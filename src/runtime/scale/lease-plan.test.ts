import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fairShare, leaseDeadline, planLeases, renewPeriodMs } from './lease-plan.ts';

const names = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,8}\/[0-9a-f]{4}$/), {
  minLength: 1,
  maxLength: 12,
});

test('fair shares sum to the partition count and differ by at most one', () => {
  fc.assert(
    fc.property(names, fc.integer({ min: 1, max: 512 }), (live, n) => {
      const shares = live.map((w) => fairShare(w, live, n));
      assert.equal(
        shares.reduce((a, b) => a + b, 0),
        n,
      );
      assert.ok(Math.max(...shares) - Math.min(...shares) <= 1);
    }),
  );
});

/**
 * Lease rounds on a fake lease table: each round every worker (in a shuffled order) applies its plan;
 * returns the rounds until nobody changes anything, with everything owned at fair shares.
 */
function converge(
  workers: readonly string[],
  n: number,
  owner: (string | null)[],
  order: (r: number) => string[],
): number {
  for (let round = 1; round <= 10; round++) {
    let changed = false;
    for (const me of order(round)) {
      const mine = owner.flatMap((o, p) => (o === me ? [p] : []));
      const free = owner.flatMap((o, p) => (o === null ? [p] : []));
      const plan = planLeases({ me, live: workers, partitions: n, mine, free });
      for (const p of plan.release) owner[p] = null;
      for (const p of plan.take) owner[p] = me;
      changed ||= plan.release.length + plan.take.length > 0;
    }
    if (!changed) return round - 1;
  }
  return Number.POSITIVE_INFINITY;
}

test('any starting assignment converges to fair shares within two rounds of a membership change', () => {
  fc.assert(
    fc.property(
      names,
      fc.integer({ min: 1, max: 64 }),
      fc.integer(),
      fc.array(fc.nat()),
      (workers, n, seed, picks) => {
        // Start from an arbitrary table (some partitions held by workers that are gone: expired leases).
        const owner: (string | null)[] = Array.from({ length: n }, (_, p) => {
          const k = picks[p] ?? 0;
          return k % 3 === 0 ? null : workers[k % workers.length];
        });
        const order = (r: number) =>
          [...workers].sort(
            (a, b) => ((a.charCodeAt(0) * (seed + r)) % 7) - ((b.charCodeAt(0) * (seed + r)) % 7),
          );
        const rounds = converge(workers, n, owner, order);
        assert.ok(rounds <= 2, `converged in ${rounds} rounds`);
        assert.ok(owner.every((o) => o !== null));
        for (const w of workers) assert.equal(owner.filter((o) => o === w).length, fairShare(w, workers, n));
      },
    ),
  );
});

test('a joining worker moves only what it needs (rendezvous preferences keep the rest)', () => {
  const n = 64;
  const before = ['a/0001', 'b/0002', 'c/0003'];
  const owner: (string | null)[] = new Array(n).fill(null);
  converge(before, n, owner, () => before);
  const snapshot = [...owner];
  const after = [...before, 'd/0004'];
  converge(after, n, owner, () => after);
  const moved = owner.filter((o, p) => o !== snapshot[p]).length;
  assert.equal(moved, fairShare('d/0004', after, n));
});

test('a lease is used only until its deadline, a margin before the server lets it go', () => {
  // Fake clock: renewed by a request sent at t = 1000 with a 3000 ms ttl and a 750 ms margin.
  assert.equal(leaseDeadline(1000, 3000, 750), 3250);
  assert.equal(renewPeriodMs(3000), 1000);
  // Two renewals may be lost and the lease is still ours when the third round runs.
  assert.ok(1000 + 2 * renewPeriodMs(3000) < leaseDeadline(1000, 3000, 750));
});
