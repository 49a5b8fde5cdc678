// A detector whose numbers live in an owner's shared slab, at an offset, behaves bit for bit as one with
// a buffer of its own, leaves the rest of the slab alone, and refuses a slab too small.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRigtuneError } from '../../core/errors.ts';
import { allocateSlab, ChangePointDetector, type ChangePointOptions } from './index.ts';

/** Seeded uniform draws in [0, 1) (Park–Miller). */
function uniform(seed: number): () => number {
  let r = seed;
  return () => {
    r = (r * 16807) % 2147483647;
    return r / 2147483647;
  };
}

function stream(seed: number, n: number): Array<number | null> {
  const u = uniform(seed);
  return Array.from({ length: n }, (_, i) => {
    const v = u();
    if (v < 0.03) return null;
    if (v < 0.1 && i > 0) return 7; // held readings
    return (i % 300 > 150 ? 10 : 0) + (i % 2 === 0 ? Math.round(v * 4) : v * 3);
  });
}

const cases: Array<Partial<ChangePointOptions>> = [
  {},
  { scaleWindow: 300, maxRuns: 20 },
  { skipRepeats: false },
];

test('a detector in a shared slab at an offset steps exactly as one with its own buffer', () => {
  for (const [k, options] of cases.entries()) {
    const size = ChangePointDetector.sizeOf(options);
    const at = 37;
    const slab = allocateSlab({ f64: at + size.f64 + 5, u8: size.u8 + 9 });
    slab.f64.fill(-3, 0, at);
    slab.f64.fill(-4, at + size.f64);
    slab.u8.fill(200, size.u8);
    const shared = new ChangePointDetector(options, slab, at);
    const alone = new ChangePointDetector(options);
    let declared = 0;
    for (const v of stream(11 + k, 3000)) {
      const a = shared.update(v);
      const b = alone.update(v);
      assert.ok(Object.is(a.changeProb, b.changeProb));
      assert.equal(a.runLength, b.runLength);
      assert.deepEqual(a.detected, b.detected);
      assert.equal(shared.hypotheses, alone.hypotheses);
      if (a.detected !== null) declared += 1;
    }
    assert.ok(declared > 0, `case ${k} declares changes`);
    assert.ok(
      slab.f64.subarray(0, at).every((x) => x === -3),
      'doubles before the offset untouched',
    );
    assert.ok(
      slab.f64.subarray(at + size.f64).every((x) => x === -4),
      'doubles after it untouched',
    );
    assert.ok(
      slab.u8.subarray(size.u8).every((x) => x === 200),
      'bytes after its own untouched',
    );
  }
});

test('a slab too small for the detector is RT_KERNEL_ARGUMENT', () => {
  const size = ChangePointDetector.sizeOf({});
  const small = allocateSlab({ f64: size.f64 + 2, u8: size.u8 });
  assert.throws(
    () => new ChangePointDetector({}, small, 3),
    (err) => isRigtuneError(err, 'RT_KERNEL_ARGUMENT'),
  );
  assert.doesNotThrow(() => new ChangePointDetector({}, small, 2));
});
