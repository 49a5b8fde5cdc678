import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../../core/errors.ts';
import { analyzeWindow, readBatchWindow } from './analyze.ts';
import { analyzePackedBatch } from './batch.ts';
import { createBatchOutput } from './batch-output.ts';
import { traceWindow } from './reference.ts';

/** mulberry32, a seeded PRNG for reproducible random windows. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function unpack(bytes: Uint8Array, from: number, bits: number): number[] {
  return Array.from({ length: bits }, (_, i) => (bytes[from + (i >>> 3)] >>> (7 - (i & 7))) & 1);
}

/** Asserts batch slot w equals the scalar result and is within 1e-9 of the literal reference. */
function checkWindow(
  bytes: Uint8Array,
  windowBits: number,
  w: number,
  out: ReturnType<typeof createBatchOutput>,
) {
  const bits = unpack(bytes, (w * windowBits) / 8, windowBits);
  const batch = readBatchWindow(out, w, windowBits);
  assert.deepEqual(batch, analyzeWindow(bits));
  const ref = traceWindow(bits);
  assert.ok(
    Math.abs(batch.coherence - ref.coherence) <= 1e-9,
    `coherence ${batch.coherence} vs ${ref.coherence}`,
  );
  assert.equal(batch.entropy, ref.entropy);
  assert.equal(batch.rupture, ref.rupture);
  assert.equal(batch.flip_ratio, ref.flip);
  assert.equal(batch.sig_c, Math.round(Math.fround(Math.fround(ref.coherence) * 1000)));
  assert.deepEqual(
    [batch.null_count, batch.flip_count, batch.rupture_count, batch.collapse],
    [ref.nullCount, ref.flipCount, ref.ruptureCount, ref.collapse],
  );
}

test('batch = scalar = reference on seeded random windows of 8..2048 bits', () => {
  const random = rng(0x51f15e);
  for (let trial = 0; trial < 120; trial++) {
    const windowBits = 8 * (1 + Math.floor(random() * 256));
    const density = random(); // skewed windows too, not only fair coin flips
    const count = 1 + Math.floor(random() * 4);
    const bytes = new Uint8Array((count * windowBits) / 8);
    for (let i = 0; i < bytes.length; i++) {
      let b = 0;
      for (let k = 0; k < 8; k++) b = (b << 1) | (random() < density ? 1 : 0);
      bytes[i] = b;
    }
    const out = createBatchOutput(count);
    assert.equal(analyzePackedBatch(bytes, windowBits, out), count);
    for (let w = 0; w < count; w++) checkWindow(bytes, windowBits, w, out);
  }
});

test('batch agrees with scalar for every window size from 8 to 160 bits', () => {
  const random = rng(7);
  for (let windowBits = 8; windowBits <= 160; windowBits += 8) {
    const bytes = Uint8Array.from({ length: (windowBits / 8) * 3 }, () => Math.floor(random() * 256));
    const out = createBatchOutput(3);
    analyzePackedBatch(bytes, windowBits, out);
    for (let w = 0; w < 3; w++) checkWindow(bytes, windowBits, w, out);
  }
});

test('property: any packed bytes give the scalar result per window', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }).chain((windowBytes) =>
        fc.tuple(
          fc.constant(windowBytes),
          fc
            .uint8Array({ minLength: windowBytes, maxLength: windowBytes * 5 })
            .map((a) => a.subarray(0, a.length - (a.length % windowBytes))),
        ),
      ),
      ([windowBytes, bytes]) => {
        const out = createBatchOutput(bytes.length / windowBytes);
        analyzePackedBatch(bytes, windowBytes * 8, out);
        for (let w = 0; w < out.capacity; w++) {
          const bits = unpack(bytes, w * windowBytes, windowBytes * 8);
          assert.deepEqual(readBatchWindow(out, w, windowBytes * 8), analyzeWindow(bits));
        }
      },
    ),
    { seed: 424242, numRuns: 200 },
  );
});

test('an output larger than needed is fine; an empty input analyses nothing', () => {
  const out = createBatchOutput(4);
  assert.equal(analyzePackedBatch(new Uint8Array([0xff, 0x00]), 8, out), 2);
  assert.deepEqual([out.ruptureCount[0], out.nullCount[1]], [7, 7]);
  assert.equal(analyzePackedBatch(new Uint8Array(0), 32, out), 0);
});

test('bad batch arguments throw RT_KERNEL_ARGUMENT', () => {
  const out = createBatchOutput(1);
  const bad = [
    () => analyzePackedBatch(new Uint8Array(4), 12, out),
    () => analyzePackedBatch(new Uint8Array(4), 0, out),
    () => analyzePackedBatch(new Uint8Array(5), 32, out),
    () => analyzePackedBatch(new Uint8Array(8), 32, out),
    () => createBatchOutput(-1),
    () => createBatchOutput(1.5),
  ];
  for (const call of bad) assert.throws(call, (err: unknown) => isRigtuneError(err, 'RT_KERNEL_ARGUMENT'));
});
