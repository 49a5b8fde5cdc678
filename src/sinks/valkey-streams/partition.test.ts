import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fnv1a32, partitionOf } from './partition.ts';

test('FNV-1a matches its published test vectors', () => {
  assert.equal(fnv1a32(''), 0x811c9dc5);
  assert.equal(fnv1a32('a'), 0xe40c292c);
  assert.equal(fnv1a32('foobar'), 0xbf9cf968);
});

test('a rig always lands in the same partition, within range', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 64 }), fc.integer({ min: 1, max: 4096 }), (rig, n) => {
      const p = partitionOf(rig, n);
      assert.ok(Number.isInteger(p) && p >= 0 && p < n);
      assert.equal(partitionOf(rig, n), p);
    }),
  );
});

test('rig names spread evenly over the partitions, for every count from 2 to 64', () => {
  for (const stem of ['rig', 'asic-', 'site3.rack7.m', 'S19-']) {
    for (let n = 2; n <= 64; n++) {
      const counts = new Array<number>(n).fill(0);
      const rigs = 200 * n;
      for (let i = 0; i < rigs; i++) counts[partitionOf(`${stem}${i}`, n)] += 1;
      // 200 expected per partition: every one within ±40 % (a binomial spread is about ±7 %).
      const [min, max] = [Math.min(...counts), Math.max(...counts)];
      assert.ok(min > 120 && max < 280, `${stem}* over ${n}: ${min} … ${max}`);
    }
  }
});

test('a partition count that is not a positive integer is refused', () => {
  assert.throws(() => partitionOf('rig0', 0), RangeError);
  assert.throws(() => partitionOf('rig0', 1.5), RangeError);
});
