// The quickselect median shared by the robust scale's level and the detector's warm-up replay.
// A selection, not a sort: O(len) on a scratch buffer, with the same result as sorting bit for bit.

/** Median of the first `len` (≥ 1) entries of `buf`, reordered in place (quickselect, O(len)). */
export function medianInPlace(buf: Float64Array, len: number): number {
  const mid = len >> 1;
  let lo = 0;
  let hi = len - 1;
  while (lo < hi) {
    const pivot = buf[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (buf[i] < pivot) i += 1;
      while (buf[j] > pivot) j -= 1;
      if (i <= j) {
        const tmp = buf[i];
        buf[i] = buf[j];
        buf[j] = tmp;
        i += 1;
        j -= 1;
      }
    }
    if (mid <= j) hi = j;
    else if (mid >= i) lo = i;
    else break;
  }
  const upper = buf[mid];
  if (len % 2 === 1) return upper;
  let lowerMax = -Infinity;
  for (let k = 0; k < mid; k += 1) if (buf[k] > lowerMax) lowerMax = buf[k];
  return (lowerMax + upper) / 2;
}
