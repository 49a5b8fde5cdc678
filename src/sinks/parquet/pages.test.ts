// Page building blocks: constant definition levels encode as the writer's RLE/bit-packing hybrid does,
// and the fast byte writer writes what ByteWriter writes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteWriter } from 'hyparquet-writer';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import { FastByteWriter, writeConstantLevels } from './pages.ts';

test('constant levels: the bytes of writeRleBitPackedHybrid at bit width 1', () => {
  for (const count of [0, 1, 2, 7, 8, 9, 63, 64, 65, 127, 128, 10_000, 1 << 20]) {
    for (const level of [0, 1] as const) {
      const want = new ByteWriter();
      writeRleBitPackedHybrid(want, new Array(count).fill(level), 1);
      const got = new ByteWriter();
      const length = writeConstantLevels(got, level, count);
      assert.equal(length, got.offset);
      assert.deepEqual(got.getBytes(), want.getBytes(), `${count} × ${level}`);
    }
  }
});

test('FastByteWriter writes what ByteWriter writes, across growth and after reset', () => {
  const want = new ByteWriter(16);
  const got = new FastByteWriter(16);
  got.appendUint8(99);
  got.reset();
  for (let i = 0; i < 5000; i++) {
    for (const w of [want, got]) {
      w.appendUint8(i * 7);
      if (i % 7 === 0) w.appendVarInt(i * 1000);
      if (i % 11 === 0) w.appendFloat64(i / 3);
    }
  }
  assert.equal(got.offset, want.offset);
  assert.deepEqual(got.getBytes(), want.getBytes());
});
