// Retained memory for the benchmarks: heap plus typed-array backing stores after two full collections,
// so "bytes per device" counts what the code keeps, not garbage waiting to be collected.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap used + array buffers after two forced collections, bytes. */
export function retainedBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
