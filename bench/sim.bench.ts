// Benchmark of the fleet simulator: device-steps per second for 5,000 GPUs (1,000 rigs × 5) over
// one simulated hour at 1 Hz, steps plus snapshots, and the speed factor over real time.

import { Fleet } from '../src/sim/index.ts';

const RIGS = 1000;
const GPUS_PER_RIG = 5;
const ASICS = 0;
const STEPS = Number(process.env.SIM_BENCH_STEPS ?? 3600);
const STEP_MS = 1000;

function run(
  rigs: number,
  gpusPerRig: number,
  asics: number,
  steps: number,
): { wallS: number; devices: number } {
  const fleet = new Fleet({
    seed: 42,
    startMs: Date.UTC(2026, 10, 1),
    gpuRigs: rigs,
    gpusPerRig,
    asics,
    settleS: 60,
  });
  const devices = rigs * gpusPerRig + asics;
  const start = performance.now();
  let rows = 0;
  for (let s = 0; s < steps; s++) {
    fleet.step(STEP_MS);
    rows += fleet.snapshots().length;
  }
  const wallS = (performance.now() - start) / 1000;
  if (rows === 0) throw new Error('no snapshots');
  return { wallS, devices };
}

console.log(`Fleet simulator, Node ${process.version}, single thread`);
run(50, GPUS_PER_RIG, 10, 200); // warm-up: JIT
const gpu = run(RIGS, GPUS_PER_RIG, ASICS, STEPS);
const gpuRate = (gpu.devices * STEPS) / gpu.wallS;
const simS = (STEPS * STEP_MS) / 1000;
console.log(
  `${gpu.devices} GPUs × ${STEPS} steps of ${STEP_MS} ms: ${gpu.wallS.toFixed(1)} s wall, ` +
    `${Math.round(gpuRate).toLocaleString('en-US')} device-steps/s, ${(simS / gpu.wallS).toFixed(0)}× real time`,
);
const asicSteps = Math.min(STEPS, 600);
const asic = run(0, 0, 1000, asicSteps);
const asicRate = (asic.devices * asicSteps) / asic.wallS;
console.log(
  `1000 ASICs (3 boards × 114 chips) × ${asicSteps} steps: ${Math.round(asicRate).toLocaleString('en-US')} miner-steps/s, ` +
    `${((asicSteps * STEP_MS) / 1000 / asic.wallS).toFixed(0)}× real time`,
);
console.log(
  JSON.stringify({
    sim_device_steps_per_s: Math.round(gpuRate),
    sim_speed_factor_5000_gpus: Math.round(simS / gpu.wallS),
    sim_asic_steps_per_s: Math.round(asicRate),
  }),
);
