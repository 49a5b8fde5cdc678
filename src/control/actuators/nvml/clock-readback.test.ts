// Locked-clock read-back without an NVML getter: the recorded lock stands while the running clock is at
// or under its table ceiling, the running clock is reported when above it, a reset reads as null.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { clockReadback, lockCeilingMhz, uniformStepMhz } from './clock-readback.ts';

const H100_TABLE = Array.from({ length: 110 }, (_, i) => 1980 - 15 * i); // 1980 … 345

test('the ceiling of a lock is the next supported clock at or above it, else the lock itself', () => {
  assert.equal(lockCeilingMhz(H100_TABLE, 1500), 1500);
  assert.equal(lockCeilingMhz(H100_TABLE, 1501), 1515);
  assert.equal(lockCeilingMhz(H100_TABLE, 2000), 2000);
  assert.equal(lockCeilingMhz([], 1234), 1234);
});

test('read-back: reset → null; running at or under the ceiling → the lock; above it → the running clock', () => {
  assert.equal(clockReadback(null, 1980, H100_TABLE), null);
  assert.equal(clockReadback({ maxMhz: 1500 }, 1500, H100_TABLE), 1500);
  assert.equal(clockReadback({ maxMhz: 1501 }, 1515, H100_TABLE), 1501);
  assert.equal(clockReadback({ maxMhz: 1500 }, 345, H100_TABLE), 1500); // idle: cannot tell (blind spot)
  assert.equal(clockReadback({ maxMhz: 1500 }, 1515, H100_TABLE), 1515);
  assert.equal(clockReadback({ maxMhz: 1500 }, 1980, H100_TABLE), 1980);
});

test('property: the read-back equals the lock exactly when the running clock is within its ceiling', () => {
  fc.assert(
    fc.property(fc.integer({ min: 345, max: 1980 }), fc.integer({ min: 0, max: 2500 }), (lock, running) => {
      const got = clockReadback({ maxMhz: lock }, running, H100_TABLE);
      const within = running <= lockCeilingMhz(H100_TABLE, lock);
      assert.equal(got, within ? lock : running);
    }),
    { seed: 5 },
  );
});

test('the grid step of an even table; none for uneven or short tables', () => {
  assert.equal(uniformStepMhz(H100_TABLE), 15);
  assert.equal(uniformStepMhz([9501, 9251, 5001, 810, 405]), undefined);
  assert.equal(uniformStepMhz([2619]), undefined);
});
