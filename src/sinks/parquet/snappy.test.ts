// The page compressor: snappy where it pays, one literal where the first 4 KiB do not shrink; every
// output decodes back to its input (hyparquet's decoder; DuckDB reads such pages in sink.test.ts).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snappyUncompress } from 'hyparquet';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import { compressSnappy, PROBE_BYTES, snappyLiteral } from './snappy.ts';

function decode(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  snappyUncompress(bytes, out);
  return out;
}

/** Doubles of a noisy measurement (incompressible), as PLAIN bytes. */
function noisy(values: number, seed = 1): Uint8Array {
  let s = seed;
  const data = Float64Array.from({ length: values }, () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return 1.2e8 + (s / 0x7fffffff) * 1e6;
  });
  return new Uint8Array(data.buffer);
}

test('a literal decodes to its input at every length-tag size', () => {
  for (const n of [0, 1, 59, 60, 61, 62, 255, 256, 257, 65_535, 65_536, 65_537, 300_000]) {
    const input = noisy(Math.ceil(n / 8)).subarray(0, n);
    assert.deepEqual(decode(snappyLiteral(input), n), input, `length ${n}`);
  }
});

test('noisy pages are stored as one literal: no bigger than the input plus 8 bytes', () => {
  const input = noisy(10_000);
  const out = compressSnappy(input);
  assert.ok(out.length <= input.length + 8);
  assert.deepEqual(out, snappyLiteral(input));
  assert.deepEqual(decode(out, input.length), input);
});

test('pages that compress (or are short) go through snappy as before', () => {
  const constant = new Uint8Array(new Float64Array(10_000).fill(300).buffer);
  assert.deepEqual(compressSnappy(constant), snappyCompress(constant));
  assert.ok(compressSnappy(constant).length < constant.length / 10);
  const short = noisy(2 * (PROBE_BYTES / 8));
  assert.deepEqual(compressSnappy(short), snappyCompress(short));
  // Compressible head, noisy tail: the probe keeps snappy.
  const mixed = new Uint8Array(80_000);
  mixed.set(noisy(5_000), 40_000);
  assert.deepEqual(compressSnappy(mixed), snappyCompress(mixed));
  assert.deepEqual(decode(compressSnappy(mixed), mixed.length), mixed);
});
