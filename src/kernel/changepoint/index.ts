// Public face of the change-point detector: the online class, its options and a batch helper.
// Batch use runs the same online detector over an array, so both paths declare identical changes.

import { ChangePointDetector, type DetectedChange } from './detector.ts';
import type { ChangePointOptions } from './options.ts';

export type { ChangePointStep, DetectedChange } from './detector.ts';
export { ChangePointDetector } from './detector.ts';
export type { ChangePointOptions, SegmentModelSpec } from './options.ts';
export { DEFAULT_CHANGEPOINT_OPTIONS, resolveChangePointOptions } from './options.ts';
export { allocateSlab, type Slab, type SlabSize } from './storage.ts';

/**
 * Runs a fresh detector over `values` (null, NaN and ±Infinity are missing samples) and returns every
 * declared change in declaration order. Throws RT_KERNEL_ARGUMENT on a bad option.
 */
export function detectChangePoints(
  values: ArrayLike<number | null>,
  options: Partial<ChangePointOptions> = {},
): DetectedChange[] {
  const detector = new ChangePointDetector(options);
  const changes: DetectedChange[] = [];
  for (let i = 0; i < values.length; i += 1) {
    const step = detector.update(values[i]);
    if (step.detected !== null) changes.push(step.detected);
  }
  return changes;
}
