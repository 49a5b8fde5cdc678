// The SNAPPY compressor handed to hyparquet-writer: its own snappyCompress, except for pages whose first
// 4 KiB do not compress (noisy measurements), which are stored as one snappy literal: valid SNAPPY, ~free.

import { Buffer } from 'node:buffer';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';

/** Bytes of a page compressed to decide whether the whole page is worth compressing. */
export const PROBE_BYTES = 4096;
/** A probe that keeps more than this share of its bytes marks the page as not worth compressing. */
export const KEEP_RATIO = 0.9;

/**
 * Snappy-compresses `input` (a page). A page longer than two probes whose first PROBE_BYTES shrink by
 * less than 10 % is written as a literal (the JS compressor spends ~30 ns a double finding nothing in
 * noisy values, and its output is then no smaller than the input).
 */
export function compressSnappy(input: Uint8Array): Uint8Array {
  if (input.length > 2 * PROBE_BYTES) {
    const probe = snappyCompress(input.subarray(0, PROBE_BYTES));
    if (probe.length > PROBE_BYTES * KEEP_RATIO) return snappyLiteral(input);
  }
  return snappyCompress(input);
}

/**
 * `input` as a snappy stream of one literal: the uncompressed length (varint), a literal tag with
 * the length less one in 1-4 bytes when over 60, then the bytes (snappy format_description.txt §2.1).
 */
export function snappyLiteral(input: Uint8Array): Uint8Array {
  const n = input.length;
  const head: number[] = [];
  for (let v = n; ; v >>>= 7) {
    if (v < 0x80) {
      head.push(v);
      break;
    }
    head.push((v & 0x7f) | 0x80);
  }
  if (n > 0) {
    const m = n - 1;
    if (n <= 60) {
      head.push(m << 2);
    } else {
      const bytes = m < 0x100 ? 1 : m < 0x10000 ? 2 : m < 0x1000000 ? 3 : 4;
      head.push((59 + bytes) << 2);
      for (let i = 0; i < bytes; i++) head.push((m >>> (8 * i)) & 0xff);
    }
  }
  const out = Buffer.allocUnsafe(head.length + n); // every byte is set below
  out.set(head);
  out.set(input, head.length);
  return out;
}
