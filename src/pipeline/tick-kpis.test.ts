// Tests of the KPI history rings: each lane reads as a RingBuffer of the same capacity fed the same
// values would, finite values only, oldest first.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RingBuffer } from '../telemetry/index.ts';
import { LockstepRings } from './tick-kpis.ts';

function finiteOf(ring: RingBuffer): number[] {
  return [...ring].filter((v) => !Number.isNaN(v));
}

test('each lane holds the finite values a RingBuffer of the same capacity would (property)', () => {
  const value = fc.oneof(fc.constant(Number.NaN), fc.double({ noNaN: true, noDefaultInfinity: true }));
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 0, max: 5 }),
      fc.array(fc.tuple(value, value, value), { maxLength: 60 }),
      (capacity, offset, steps) => {
        const rings = new LockstepRings(capacity, 3, new Float64Array(offset + 3 * capacity), offset);
        const plain = [new RingBuffer(capacity), new RingBuffer(capacity), new RingBuffer(capacity)];
        const out: number[] = [];
        for (const [a, b, c] of steps) {
          rings.push3(a, b, c);
          plain[0].push(a);
          plain[1].push(b);
          plain[2].push(c);
          for (let lane = 0; lane < 3; lane += 1)
            assert.deepEqual(rings.finiteInto(lane, out), finiteOf(plain[lane]));
          assert.equal(rings.length, plain[0].length);
        }
      },
    ),
    { seed: 5, numRuns: 300 },
  );
});

test('a capacity below 1 or rings that do not fit: RT_KERNEL_ARGUMENT', () => {
  assert.throws(() => new LockstepRings(0, 3, new Float64Array(9)), /capacity must be an integer ≥ 1/);
  assert.throws(() => new LockstepRings(4, 3, new Float64Array(11)), /do not fit/);
});
