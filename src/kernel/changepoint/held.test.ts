// Held and constant readings: a step to a value that then never changes (a fan stopping at 0 %, a
// locked clock) is declared; held noisy readings and a constant signal raise nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectChangePoints } from './index.ts';

const repeat = (value: number, n: number): number[] => Array.from({ length: n }, () => value);

test('a step between two constant levels is found, within maxHold samples', () => {
  const changes = detectChangePoints([...repeat(60, 2400), ...repeat(0, 600)]);
  assert.equal(changes.length, 1);
  assert.equal(changes[0].startIndex, 2400);
  assert.ok(changes[0].detectedIndex - 2400 <= 10, `declared at ${changes[0].detectedIndex}`);
});

test('a step from dithering integer readings to a constant is found', () => {
  const dither = Array.from({ length: 2000 }, (_, i) => 60 + ((i * 7) % 3 === 0 ? 1 : 0));
  const changes = detectChangePoints([...dither, ...repeat(0, 300)]);
  assert.deepEqual(
    changes.map((c) => c.startIndex),
    [2000],
  );
});

test('a constant signal and a signal held in blocks of 5 raise nothing', () => {
  assert.deepEqual(detectChangePoints(repeat(1800, 5000)), []);
  const held = Array.from({ length: 3000 }, (_, i) => 250 + ((Math.floor(i / 5) * 37) % 11) / 10);
  assert.deepEqual(detectChangePoints(held), []);
});

test('maxHold is validated', () => {
  assert.throws(() => detectChangePoints([1, 2, 3], { maxHold: 0 }), /maxHold/);
});
