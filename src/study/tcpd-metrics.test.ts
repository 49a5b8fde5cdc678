// Tests of the TCPD F1 and cover scores against the check values of ../shared/data/README.md.
// Those values come from the benchmark's own examples, so a pass means the rules are read the same way.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanPredictions, countTruePositives, coverScore, f1Score } from './tcpd-metrics.ts';

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 5e-6, `${actual} is not ${expected}`);

test('F1: README check values', () => {
  close(f1Score({ 1: [10, 20], 2: [11, 20], 3: [10], 4: [0, 5] }, [10, 20], 50), 1.0);
  close(f1Score({ 1: [], 2: [10], 3: [50] }, [10], 100), 0.90909);
  close(f1Score({ 1: [], 2: [10], 3: [50] }, [], 100), 0.8);
});

test('cover: README check values', () => {
  close(coverScore({ 1: [10, 20], 2: [10], 3: [0, 5] }, [10, 20], 45), 0.7963);
  close(coverScore({ 1: [], 2: [10], 3: [40] }, [10], 45), 0.79541);
  close(coverScore({ 1: [], 2: [10], 3: [40] }, [], 45), 0.81893);
});

test('predictions are cleaned: duplicates, 0, n-1 and out-of-range indices dropped', () => {
  assert.deepEqual(cleanPredictions([5, 5, 0, 99, 98, -1, 3, 1], 100), [1, 3, 5, 98]);
  const ann = { 1: [10] };
  assert.equal(f1Score(ann, [10, 10, 0, 99], 100), f1Score(ann, [10], 100));
  assert.equal(coverScore(ann, [10, 10, 99], 100), coverScore(ann, [10], 100));
});

test('matching: one prediction per true point, nearest first, ties to the smaller index', () => {
  assert.equal(countTruePositives([10], [6, 14], 5), 1);
  assert.equal(countTruePositives([10, 12], [11], 5), 1);
  assert.equal(countTruePositives([10, 12], [11, 30], 5), 1);
  assert.equal(countTruePositives([10], [16], 5), 0);
  assert.equal(countTruePositives([10], [15], 5), 1);
});

test('a perfect single change scores 1 on both', () => {
  assert.equal(f1Score({ a: [40], b: [40] }, [40], 100), 1);
  assert.equal(coverScore({ a: [40], b: [40] }, [40], 100), 1);
});
