// Which partition a rig's snapshots go to: a stable hash of the rig name (FNV-1a, 32 bit, over its
// UTF-8 bytes, then MurmurHash3's fmix32 finaliser) modulo the partition count, the same in every
// process and every language.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** FNV-1a 32-bit hash of the UTF-8 bytes of `text`, an unsigned integer. */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET;
  for (const byte of utf8.encode(text)) {
    h ^= byte;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/**
 * MurmurHash3's 32-bit finaliser: every input bit affects every output bit. FNV-1a alone leaves the
 * low bits of names that differ only in a trailing counter (rig57, rig58, …) correlated, and some
 * partition counts (58, 61) then got 2.8× more rigs in one partition than in another.
 */
export function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Partition of `rig` among `partitions` (0 … partitions − 1). Keyed by the rig, not the device: a rig's
 * latest state (`telemetry:last:{rig}`) is one document, so one worker must own all its devices.
 * Throws RangeError when `partitions` is not a positive integer.
 */
export function partitionOf(rig: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1)
    throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  return fmix32(fnv1a32(rig)) % partitions;
}
