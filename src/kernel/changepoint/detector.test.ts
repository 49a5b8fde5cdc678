// Tests of the online change-point detector on seeded synthetic streams: shifts found fast and placed
// right, silence on stationary noise and held readings, bounded state, and sane numbers for any input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../../core/errors.ts';
import { ChangePointDetector, DEFAULT_CHANGEPOINT_OPTIONS, detectChangePoints } from './index.ts';

/** mulberry32: tiny seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller) from a seeded uniform source. */
function gaussian(seed: number): () => number {
  const u = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

const series = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

test('a clear mean shift is declared within a few samples, start within ±3 of the truth', () => {
  for (let seed = 1; seed <= 10; seed += 1) {
    const g = gaussian(seed);
    const values = series(400, (i) => (i < 250 ? 300 : 270) + 3 * g());
    const changes = detectChangePoints(values);
    assert.equal(changes.length, 1, `seed ${seed}: ${JSON.stringify(changes)}`);
    assert.ok(Math.abs(changes[0].startIndex - 250) <= 3, `seed ${seed}: start ${changes[0].startIndex}`);
    assert.ok(changes[0].detectedIndex - 250 <= 5, `seed ${seed}: declared at ${changes[0].detectedIndex}`);
    assert.ok(changes[0].detectedIndex >= changes[0].startIndex);
    assert.ok(changes[0].hazard >= DEFAULT_CHANGEPOINT_OPTIONS.threshold && changes[0].hazard <= 1);
  }
});

test('a jump of thousands of noise scales, with a new noise level, is located exactly', () => {
  const g = gaussian(21);
  const values = series(80, (i) => (i < 40 ? 72 + 0.03 * g() : 700 + 1.5 * g()));
  const changes = detectChangePoints(values);
  assert.equal(changes.length, 1, JSON.stringify(changes));
  assert.equal(changes[0].startIndex, 40);
});

test('a step in a held integer reading is found, also when it falls inside the warm-up', () => {
  const held = [36, 36, 36, 36, 38, 38, 38, 38, 38, 38, 39, 39, 39, 39, 39, 39, 39, 39];
  const hot = [56, 58, 58, 59, 59, 60, 61, 62, 61, 62, 62, 62, 63, 63, 64, 64];
  assert.deepEqual(
    detectChangePoints([...held, ...hot]).map((c) => c.startIndex),
    [held.length],
  );
  // Only 3 distinct readings before the step: the warm-up ends after it and is replayed.
  const short = [36, 36, 38, 38, 39, 39, 56, 58, 59, 60, 61, 62];
  const found = detectChangePoints(short);
  assert.deepEqual(
    found.map((c) => c.startIndex),
    [6],
  );
  assert.ok(found[0].detectedIndex >= 7);
});

test('a fourfold rise of the noise level is declared near its start', () => {
  let found = 0;
  for (let seed = 1; seed <= 10; seed += 1) {
    const g = gaussian(100 + seed);
    const values = series(600, (i) => 50 + (i < 300 ? 1 : 4) * g());
    if (detectChangePoints(values).some((c) => Math.abs(c.startIndex - 300) <= 15)) found += 1;
  }
  assert.ok(found >= 8, `found ${found} of 10`);
});

test('no change on 2,000 samples of stationary Gaussian noise', () => {
  for (let seed = 1; seed <= 5; seed += 1) {
    const g = gaussian(200 + seed);
    assert.deepEqual(detectChangePoints(series(2000, () => 12.5 + 0.8 * g())), [], `seed ${seed}`);
  }
});

test('at most one false alarm in 10,000 samples of noisy linear ramps', () => {
  let alarms = 0;
  for (let seed = 1; seed <= 5; seed += 1) {
    const g = gaussian(300 + seed);
    alarms += detectChangePoints(series(2000, (i) => 40 + 0.01 * i + 0.5 * g())).length;
  }
  assert.ok(alarms <= 1, `${alarms} alarms`);
});

test('no change on held readings or dithering integer readings', () => {
  const g = gaussian(7);
  let held = 0;
  const heldValues = series(2000, (i) => {
    if (i % 5 === 0) held = 250 + 2 * g();
    return held;
  });
  assert.deepEqual(detectChangePoints(heldValues), []);
  assert.deepEqual(detectChangePoints(series(2000, () => Math.round(60.5 + 0.3 * g()))), []);
});

test('a lone spike opens no segment', () => {
  const g = gaussian(8);
  const values = series(600, (i) => 100 + g() + (i === 300 ? 40 : 0));
  assert.deepEqual(detectChangePoints(values), []);
});

test('nulls and non-finite values count as samples but carry no evidence', () => {
  const g = gaussian(9);
  const values = series(400, (i) => (i % 3 === 1 ? null : (i < 200 ? 10 : 15) + g()));
  const changes = detectChangePoints(values);
  assert.equal(changes.length, 1);
  assert.ok(Math.abs(changes[0].startIndex - 200) <= 3);
  const withNaN = values.map((v, i) => (i % 7 === 0 ? Number.NaN : v));
  assert.ok(detectChangePoints(withNaN).length >= 1);
  const detector = new ChangePointDetector();
  for (let i = 0; i < 50; i += 1) {
    const step = detector.update(null);
    assert.deepEqual(step, { changeProb: 0, runLength: 0, detected: null });
  }
});

test('pruning keeps the state bounded on a long stream', () => {
  const g = gaussian(10);
  const detector = new ChangePointDetector({ maxRuns: 40 });
  let most = 0;
  for (let i = 0; i < 10000; i += 1) {
    detector.update((Math.floor(i / 2500) % 2) * 20 + g());
    most = Math.max(most, detector.hypotheses);
  }
  assert.ok(most <= 40, `kept ${most}`);
});

test('changeProb is a probability: near 0 on stable data, near 1 right after a step', () => {
  const g = gaussian(11);
  const detector = new ChangePointDetector();
  let stableSum = 0;
  let peak = 0;
  for (let i = 0; i < 1200; i += 1) {
    const step = detector.update((i < 1000 ? 0 : 10) + g());
    assert.ok(step.changeProb >= 0 && step.changeProb <= 1);
    if (i >= 20 && i < 1000) stableSum += step.changeProb;
    if (i >= 1000 && i < 1005) peak = Math.max(peak, step.changeProb);
  }
  assert.ok(stableSum / 980 < 0.01, `mean on stable data ${stableSum / 980}`);
  assert.ok(peak > 0.9, `peak after the step ${peak}`);
});

test('runLength follows the most probable segment', () => {
  const detector = new ChangePointDetector();
  const g = gaussian(12);
  let last = detector.update(g());
  for (let i = 1; i < 300; i += 1) last = detector.update((i < 200 ? 0 : 10) + g());
  assert.ok(Math.abs(last.runLength - 100) <= 3, `run length ${last.runLength}`);
});

test('batch helper equals pushing the samples one by one', () => {
  const g = gaussian(13);
  const values = series(500, (i) => (i < 150 ? 1 : i < 330 ? 6 : 2) + g());
  const detector = new ChangePointDetector();
  const online = values.map((v) => detector.update(v).detected).filter((d) => d !== null);
  assert.deepEqual(detectChangePoints(values), online);
  assert.equal(online.length, 2);
});

test('bad options throw RT_KERNEL_ARGUMENT', () => {
  const bad = [{ hazard: 0 }, { hazard: 1 }, { threshold: 2 }, { maxRuns: 3 }, { segmentModels: [] }];
  for (const options of bad) {
    assert.throws(
      () => new ChangePointDetector(options),
      (e) => isRigtuneError(e, 'RT_KERNEL_ARGUMENT'),
    );
  }
});

test('update never throws and never returns NaN, whatever finite or null values arrive', () => {
  const sample = fc.oneof(
    fc.constant(null),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.double({ min: -1e3, max: 1e3, noNaN: true }),
    fc.integer({ min: -5, max: 5 }),
  );
  fc.assert(
    fc.property(fc.array(sample, { maxLength: 300 }), (values) => {
      const detector = new ChangePointDetector({ maxRuns: 16 });
      for (const v of values) {
        const step = detector.update(v);
        if (!(step.changeProb >= 0 && step.changeProb <= 1)) return false;
        if (!Number.isFinite(step.runLength) || step.runLength < 0) return false;
        const d = step.detected;
        if (d && !(Number.isInteger(d.startIndex) && d.startIndex <= d.detectedIndex && d.hazard <= 1))
          return false;
      }
      return true;
    }),
    { numRuns: 300 },
  );
});

test('update returns one step object per detector, overwritten by the next update', () => {
  const g = gaussian(14);
  const detector = new ChangePointDetector();
  const other = new ChangePointDetector();
  const first = detector.update(g());
  assert.notEqual(first, other.update(g()));
  const declared = [];
  for (let i = 1; i < 300; i += 1) {
    const step = detector.update((i < 150 ? 0 : 10) + g());
    assert.equal(step, first);
    if (step.detected !== null) declared.push(step.detected);
  }
  assert.equal(declared.length, 1);
  assert.ok(Math.abs(declared[0].startIndex - 150) <= 3);
  assert.equal(first.detected, null);
  assert.ok(first.runLength > 100);
});
