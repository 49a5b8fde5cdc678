// Tests of the hypothesis set's bookkeeping: opening with pruning in one pass equals opening then pruning
// (the least probable dropped, oldest-first order kept), growth past the first room, and the capacity check.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../../core/errors.ts';
import { RunSet } from './run-set.ts';

const ONE_MODEL = Object.freeze([Object.freeze({ slopePrior: 0, levelDrift: 0, slopeDrift: 0 })]);

interface Run {
  readonly start: number;
  readonly logWeight: number;
}

/** Open, then drop those below `min` (never the last one), then the least probable down to `capacity`. */
function openThenPrune(runs: readonly Run[], capacity: number, added: Run, min: number): Run[] {
  const all = [...runs, added];
  const kept: Run[] = [];
  for (const [i, r] of all.entries()) {
    if (r.logWeight < min && kept.length + (all.length - i) > 1) continue;
    kept.push(r);
  }
  while (kept.length > capacity) {
    let worst = 0;
    for (let i = 1; i < kept.length; i += 1) if (kept[i].logWeight < kept[worst].logWeight) worst = i;
    kept.splice(worst, 1);
  }
  return kept;
}

function contents(runs: RunSet): Run[] {
  return Array.from({ length: runs.count }, (_, i) => ({
    start: runs.start(i),
    logWeight: runs.logWeight(i),
  }));
}

test('openPruned equals open followed by the old prune, ties and all (property)', () => {
  const weight = fc.oneof(
    fc.constantFrom(-1, -2, -3, -9.5, -20, -Infinity, 0),
    fc.double({ min: -30, max: 0, noNaN: true }),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 8, max: 14 }),
      fc.constantFrom(-Infinity, Math.log(1e-4), -3),
      fc.array(weight, { maxLength: 80 }),
      (capacity, min, weights) => {
        const runs = new RunSet(capacity, ONE_MODEL);
        let expected: Run[] = [];
        for (const [t, logWeight] of weights.entries()) {
          runs.openPruned(t, 0, logWeight, t, min);
          expected = openThenPrune(expected, capacity, { start: t, logWeight }, min);
          const got = contents(runs);
          if (got.length !== expected.length) return false;
          for (const [i, r] of got.entries())
            if (r.start !== expected[i].start || !Object.is(r.logWeight, expected[i].logWeight)) return false;
        }
        return true;
      },
    ),
    { numRuns: 300 },
  );
});

test('hypotheses beyond the first room move to an array of their own, unchanged', () => {
  const runs = new RunSet(40, ONE_MODEL, new Float64Array(RunSet.sizeOf(40, ONE_MODEL)));
  for (let t = 0; t < 40; t += 1) runs.openPruned(t, t / 2, -t, 100 + t, -Infinity);
  assert.equal(runs.count, 40);
  for (let i = 0; i < 40; i += 1) {
    assert.equal(runs.start(i), i);
    assert.equal(runs.logWeight(i), -i);
    assert.equal(runs.ordinal(i), 100 + i);
  }
});

test('open refuses a hypothesis beyond capacity', () => {
  const runs = new RunSet(8, ONE_MODEL);
  for (let t = 0; t < 8; t += 1) runs.open(t, 0, -1);
  assert.throws(
    () => runs.open(8, 0, -1),
    (e) => isRigtuneError(e, 'RT_KERNEL_ARGUMENT'),
  );
});
