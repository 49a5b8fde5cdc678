// TimeRing returns exactly the times pushed (the last `capacity`), whole-ms steps or not.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TimeRing } from './time-ring.ts';

test('TimeRing keeps the last capacity times exactly, through uneven steps too', () => {
  const step = fc.oneof(
    fc.integer({ min: 0, max: 5000 }),
    fc.integer({ min: 65_530, max: 65_540 }),
    fc.integer({ min: 2 ** 32 - 2, max: 2 ** 33 }),
    fc.double({ min: 0, max: 5000, noNaN: true }),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.array(step, { minLength: 1, maxLength: 120 }),
      (capacity, steps) => {
        const ring = new TimeRing(capacity);
        const pushed: number[] = [];
        let ts = 1_793_491_600_000;
        for (const s of steps) {
          ts += s;
          ring.push(ts);
          pushed.push(ts);
          assert.equal(ring.length, Math.min(capacity, pushed.length));
          for (let back = 0; back < ring.length; back += 1)
            assert.equal(ring.at(back), pushed[pushed.length - 1 - back]);
        }
      },
    ),
    { numRuns: 300 },
  );
});
