// Batch QFH over packed windows (bytes MSB first, as native `analyze_window_batch`), into typed arrays.
// The loop allocates nothing per window: tables are fetched once per call and results go to `out`.

import { RigtuneError } from '../../core/errors.ts';
import type { QfhBatchOutput } from './batch-output.ts';
import { analyzeSpan } from './packed.ts';
import { decayTable, templateTable } from './tables.ts';

/**
 * Analyses consecutive windows of `windowBits` bits (a positive multiple of 8) packed in `bytes`,
 * each byte expanded bit 7 first. Window i occupies bytes [i·windowBits/8, (i+1)·windowBits/8) and
 * its results go to index i of `out`. Returns the number of windows analysed.
 * Throws RT_KERNEL_ARGUMENT when windowBits is not a positive multiple of 8, when bytes.length is not
 * a whole number of windows, or when `out` has too little capacity.
 */
export function analyzePackedBatch(bytes: Uint8Array, windowBits: number, out: QfhBatchOutput): number {
  if (!Number.isInteger(windowBits) || windowBits < 8 || windowBits % 8 !== 0) {
    throw new RigtuneError(
      'RT_KERNEL_ARGUMENT',
      `windowBits must be a positive multiple of 8, got ${windowBits}`,
    );
  }
  const windowBytes = windowBits / 8;
  if (bytes.length % windowBytes !== 0) {
    throw new RigtuneError(
      'RT_KERNEL_ARGUMENT',
      `${bytes.length} bytes is not a whole number of ${windowBytes}-byte windows`,
      { offset: bytes.length - (bytes.length % windowBytes) },
    );
  }
  const count = bytes.length / windowBytes;
  if (count > out.capacity) {
    throw new RigtuneError(
      'RT_KERNEL_ARGUMENT',
      `${count} windows do not fit a batch output of ${out.capacity}`,
    );
  }
  const templates = windowBits > 10 ? templateTable(windowBits) : null;
  decayTable(windowBits);
  for (let w = 0, off = 0; w < count; w++, off += windowBytes) {
    analyzeSpan(bytes, off, windowBits, templates, out, w);
  }
  return count;
}

/**
 * Analyses one window of `n` bits starting at byte `off` of `bytes` (MSB first; bits past n in the last
 * byte are ignored) into slot `w` of `out`, without validation or allocation: the streaming callers'
 * path (the scorer's sliding windows). Same results as analyzeWindow on the unpacked bits.
 */
export function analyzePackedWindow(
  bytes: Uint8Array,
  off: number,
  n: number,
  out: QfhBatchOutput,
  w: number,
): void {
  let templates = null;
  if (n > 10) {
    decayTable(n);
    templates = templateTable(n);
  }
  analyzeSpan(bytes, off, n, templates, out, w);
}
