// One ArrayBuffer per detector, seen through two typed views that all its parts share: every typed array
// and buffer costs about 100 bytes of heap besides its data, so a fleet of detectors keeps few of them.

/** Doubles and bytes one detector part needs (counts of elements). */
export interface SlabSize {
  readonly f64: number;
  readonly u8: number;
}

/** The two views over one buffer; each part owns a range of each, given as element offsets. */
export interface Slab {
  readonly f64: Float64Array;
  readonly u8: Uint8Array;
}

/** A zeroed buffer of `size.f64` doubles followed by `size.u8` bytes, with its two views. */
export function allocateSlab(size: SlabSize): Slab {
  const buffer = new ArrayBuffer(size.f64 * 8 + size.u8);
  return { f64: new Float64Array(buffer, 0, size.f64), u8: new Uint8Array(buffer, size.f64 * 8, size.u8) };
}
