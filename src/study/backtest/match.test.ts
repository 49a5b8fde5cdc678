// The shared matching rule: 'first' and 'nearest' picks, exclusivity, and (property) that the
// nearest-exclusive rule equals TCPDBench's true-positive count as it was written before the harness.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { insideAnyWindow, matchWindows } from './match.ts';

/** The TCPD count as implemented before it went through matchWindows (kept here as the reference). */
function referenceTruePositives(
  truth: readonly number[],
  predictions: readonly number[],
  margin: number,
): number {
  const unused = [...predictions].sort((a, b) => a - b);
  let count = 0;
  for (const tau of [...truth].sort((a, b) => a - b)) {
    let best = -1;
    for (let i = 0; i < unused.length; i += 1) {
      const dist = Math.abs(unused[i] - tau);
      if (dist > margin) continue;
      if (best < 0 || dist < Math.abs(unused[best] - tau)) best = i;
    }
    if (best >= 0) {
      unused.splice(best, 1);
      count += 1;
    }
  }
  return count;
}

test('first: the earliest time in the window; times may answer several windows', () => {
  const w = [
    { fromT: 10, toT: 20, anchor: 12 },
    { fromT: 15, toT: 30, anchor: 16 },
  ];
  assert.deepEqual(matchWindows(w, [25, 18, 9], { pick: 'first', exclusive: false }), [1, 1]);
  assert.deepEqual(matchWindows(w, [25, 18, 9], { pick: 'first', exclusive: true }), [1, 0]);
  assert.deepEqual(matchWindows(w, [], { pick: 'first', exclusive: true }), [null, null]);
});

test('nearest: closest to the anchor, the earlier on a tie; windows are inclusive', () => {
  const w = [{ fromT: 0, toT: 20, anchor: 10 }];
  assert.deepEqual(matchWindows(w, [14, 6, 12], { pick: 'nearest', exclusive: true }), [2]);
  assert.deepEqual(matchWindows(w, [14, 6], { pick: 'nearest', exclusive: true }), [1]);
  assert.deepEqual(matchWindows(w, [20], { pick: 'nearest', exclusive: true }), [0]);
  assert.deepEqual(matchWindows(w, [21], { pick: 'nearest', exclusive: true }), [null]);
  assert.deepEqual(insideAnyWindow(w, [-1, 0, 20, 21]), [false, true, true, false]);
});

test('nearest + exclusive equals the TCPDBench true-positive count (property)', () => {
  const points = fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 12 });
  fc.assert(
    fc.property(points, points, fc.integer({ min: 0, max: 8 }), (truth, predictions, margin) => {
      const windows = truth.map((t) => ({ fromT: t - margin, toT: t + margin, anchor: t }));
      const matched = matchWindows(windows, predictions, { pick: 'nearest', exclusive: true });
      assert.equal(
        matched.filter((m) => m !== null).length,
        referenceTruePositives(truth, predictions, margin),
      );
    }),
    { seed: 6, numRuns: 500 },
  );
});
