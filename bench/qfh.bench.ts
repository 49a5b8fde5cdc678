// Benchmark of the QFH batch kernel: windows per second, single-threaded, for 32/64/256/1024-bit windows.
// Run with `npm run bench`; prints a table, then one JSON line {"qfh_windows_per_s": {...}} as its last line.

import { analyzePackedBatch, createBatchOutput } from '../src/kernel/qfh/index.ts';

const SIZES_BITS = [32, 64, 256, 1024] as const;
/** Bytes of packed input per size (a few MiB, so data does not sit entirely in L1/L2). */
const DATA_BYTES = 4 * 1024 * 1024;
const WARMUP_MS = 500;
const RUN_MS = 1000;
const RUNS = 5;

/** mulberry32: a small seeded PRNG so every run analyses the same data. */
function seededBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed >>> 0;
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/** Runs whole batches until at least `ms` have passed; returns windows per second. */
function timeBatches(bytes: Uint8Array, windowBits: number, ms: number): number {
  const out = createBatchOutput(bytes.length / (windowBits / 8));
  let windows = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    windows += analyzePackedBatch(bytes, windowBits, out);
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (windows * 1000) / elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const result: Record<string, number> = {};
console.log(`QFH batch kernel, Node ${process.version}, single thread, ${RUNS} runs of >= ${RUN_MS} ms each`);
console.log('window_bits  windows/s (median)   min        max        Mbit/s');
for (const bits of SIZES_BITS) {
  const data = seededBytes(DATA_BYTES, 0x5e9 + bits);
  timeBatches(data, bits, WARMUP_MS);
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(timeBatches(data, bits, RUN_MS));
  const med = Math.round(median(runs));
  result[String(bits)] = med;
  const fmt = (v: number) => Math.round(v).toLocaleString('en-US').padStart(10);
  console.log(
    `${String(bits).padStart(11)}  ${fmt(med).padStart(18)}   ${fmt(Math.min(...runs))} ${fmt(Math.max(...runs))} ${((med * bits) / 1e6).toFixed(1).padStart(9)}`,
  );
}
console.log(JSON.stringify({ qfh_windows_per_s: result }));
