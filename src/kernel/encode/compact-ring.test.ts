// Tests of CompactRing: what is stored comes back exactly (NaN for missing), before and after the
// storage turns from 16-bit codes into doubles.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CompactRing } from './compact-ring.ts';

test('starts all NaN; small integers, then any number, come back exactly', () => {
  const r = new CompactRing(4);
  assert.ok([0, 1, 2, 3].every((i) => Number.isNaN(r.get(i))));
  r.set(0, 83);
  r.set(1, -40);
  r.set(2, 32767);
  assert.deepEqual([r.get(0), r.get(1), r.get(2)], [83, -40, 32767]);
  r.set(3, 0.5);
  assert.deepEqual([r.get(0), r.get(1), r.get(2), r.get(3)], [83, -40, 32767, 0.5]);
  r.clear();
  assert.ok(Number.isNaN(r.get(0)));
});

test('get returns what set stored, for any sequence of writes (property)', () => {
  const value = fc.oneof(
    fc.constant(Number.NaN),
    fc.integer({ min: -40000, max: 40000 }),
    fc.constantFrom(-0, -32768, 1e9, 2 ** 53),
    fc.double({ noNaN: true }),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), value), { maxLength: 60 }), (writes) => {
      const r = new CompactRing(10);
      const want: number[] = new Array(10).fill(Number.NaN);
      for (const [i, x] of writes) {
        r.set(i, x);
        want[i] = x;
        for (let k = 0; k < 10; k += 1) if (!Object.is(r.get(k), want[k])) return false;
      }
      return true;
    }),
  );
});
