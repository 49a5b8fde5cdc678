// Tests of the decision rule: windowed posterior mass over candidate starts, clipped to the candidates,
// and the most probable start inside the winning window.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findSupportedStart } from './declare.ts';
import { RunSet } from './run-set.ts';

function runsAt(starts: readonly number[], probs: readonly number[]): RunSet {
  const runs = new RunSet(16, [{ slopePrior: 0, levelDrift: 0, slopeDrift: 0 }]);
  for (const [i, s] of starts.entries()) runs.open(s, 0, Math.log(probs[i]));
  return runs;
}

test('the window with most mass wins and reports its most probable start', () => {
  const runs = runsAt([0, 10, 11, 12, 30], [0.02, 0.3, 0.35, 0.3, 0.03]);
  const found = findSupportedStart(runs, 5, 40, 2, 0.9);
  assert.equal(found?.startIndex, 11);
  assert.ok(Math.abs((found?.mass ?? 0) - 0.95) < 1e-12);
});

test('below the threshold nothing is supported', () => {
  const runs = runsAt([0, 10, 11, 12, 30], [0.02, 0.3, 0.35, 0.3, 0.03]);
  assert.equal(findSupportedStart(runs, 5, 40, 2, 0.96), null);
  assert.equal(findSupportedStart(runs, 5, 40, 0, 0.5), null);
});

test('mass outside [earliest, latest] does not count', () => {
  const runs = runsAt([0, 10, 11, 12, 30], [0.02, 0.3, 0.35, 0.3, 0.03]);
  assert.equal(findSupportedStart(runs, 12, 40, 2, 0.5), null);
  assert.equal(findSupportedStart(runs, 5, 11, 2, 0.9), null);
  assert.equal(findSupportedStart(runs, 5, 11, 2, 0.6)?.startIndex, 11);
});
