// Benchmark of the scoring pipeline alone: FleetScorer.push over a simulated fleet (GPU rigs and ASICs),
// single thread; reports snapshots/s, per-tick time and retained memory per device (heap + typed arrays).

import { FleetScorer } from '../src/pipeline/index.ts';
import { Fleet } from '../src/sim/index.ts';
import { retainedBytes } from './retained-bytes.ts';

/** Devices = GPU_RIGS × GPUS_PER_RIG + 4 × ASICS (each S19 reports 3 boards and a total). */
const DEVICES = Number(process.env.BENCH_DEVICES ?? 1000);
/** Ticks before timing starts: beyond the longest window (300-sample share window, 301-sample sd window). */
const WARMUP_TICKS = Number(process.env.BENCH_WARMUP ?? 330);
const TICKS = Number(process.env.BENCH_TICKS ?? 60);
const STEP_MS = 1000;

const asics = Math.max(1, Math.round(DEVICES / 100));
const gpuRigs = Math.max(1, Math.round((DEVICES - 4 * asics) / 8));
const fleet = new Fleet({
  seed: 42,
  startMs: Date.UTC(2026, 10, 1),
  gpuRigs,
  gpusPerRig: 8,
  gpuModel: 'mixed',
  asics,
  settleS: 60,
});

const before = retainedBytes();
const scorer = new FleetScorer();
const tickMs: number[] = [];
let pushed = 0;
let busyMs = 0;
let devices = 0;
for (let t = 0; t < WARMUP_TICKS + TICKS; t += 1) {
  fleet.step(STEP_MS);
  const snaps = fleet.snapshots();
  devices = snaps.length;
  const start = performance.now();
  for (let i = 0; i < snaps.length; i += 1) scorer.push(snaps[i]);
  const ms = performance.now() - start;
  if (t >= WARMUP_TICKS) {
    tickMs.push(ms);
    busyMs += ms;
    pushed += snaps.length;
  }
}
const after = retainedBytes();
const bytesPerDevice = Math.round((after - before) / scorer.deviceCount);

tickMs.sort((a, b) => a - b);
const pct = (p: number) => tickMs[Math.min(tickMs.length - 1, Math.floor(p * tickMs.length))];
const rate = pushed / (busyMs / 1000);
console.log(
  `FleetScorer, Node ${process.version}, single thread, simulated fleet (mixed GPU rigs × 8, S19 ASICs)`,
);
console.log(
  `${devices} devices, ${WARMUP_TICKS} warm-up ticks, ${TICKS} timed ticks: ` +
    `${Math.round(rate).toLocaleString('en-US')} snapshots/s, tick p50 ${pct(0.5).toFixed(1)} ms, ` +
    `p99 ${pct(0.99).toFixed(1)} ms (10,000 devices ≈ ${((10_000 / rate) * 1000).toFixed(0)} ms a tick)`,
);
console.log(`retained ${(bytesPerDevice / 1024).toFixed(1)} KiB per device (heap + typed arrays)`);
console.log(JSON.stringify({ devices, snapshots_per_s: Math.round(rate), bytes_per_device: bytesPerDevice }));
