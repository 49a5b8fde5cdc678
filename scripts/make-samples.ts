// Writes the bundled sample traces under samples/ (deterministic: seeded RNG, fixed start time).
// gpu-rig.csv: two GPUs at 1 Hz for an hour with a miner restart, a fan failure and a pool problem.

import { readFileSync, writeFileSync } from 'node:fs';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(20261126);
const gauss = (): number => {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
};
const poisson = (lambda: number): number => {
  let k = 0;
  let p = Math.exp(-lambda);
  let s = p;
  const u = rand();
  while (u > s && k < 1000) {
    k += 1;
    p *= lambda / k;
    s += p;
  }
  return k;
};

const COLUMNS = [
  'ts', 'rig', 'device', 'hashrate_5s', 'hashrate_1m', 'hashrate_expected', 'accepted_shares', 'rejected_shares',
  'stale_shares', 'diff_accepted', 'diff_rejected', 'diff_stale', 'hw_errors', 'power_w', 'power_limit_w',
  'energy_j', 'temp_core_c', 'temp_mem_c', 'temp_target_c', 'fan_pct', 'fan_rpm', 'clock_core_mhz',
  'clock_mem_mhz', 'util_pct', 'throttle_flags', 'stratum_latency_ms',
];

const START_MS = Date.UTC(2026, 10, 1, 12, 0, 0);
const SECONDS = 3600;
const SHARE_DIFF = 2.4e8; // H per share: about 0.5 shares/s at 120 MH/s
const rows: string[] = [COLUMNS.join(',')];

interface Gpu {
  device: string;
  tempC: number;
  hr1m: number;
  counters: { acc: number; rej: number; stale: number; dAcc: number; dRej: number; dStale: number; energy: number };
}
const gpus: Gpu[] = ['gpu0', 'gpu1'].map((device) => ({
  device,
  tempC: 55,
  hr1m: 120e6,
  counters: { acc: 0, rej: 0, stale: 0, dAcc: 0, dRej: 0, dStale: 0, energy: 0 },
}));

for (let s = 0; s < SECONDS; s += 1) {
  for (const g of gpus) {
    const fanFailed = g.device === 'gpu1' && s >= 2400; // fan stops at 40 min
    const poolTrouble = g.device === 'gpu0' && s >= 3000 && s < 3300; // 50-55 min: slow pool
    if (g.device === 'gpu0' && s === 1500) {
      g.counters = { acc: 0, rej: 0, stale: 0, dAcc: 0, dRej: 0, dStale: 0, energy: 0 }; // miner restart at 25 min
    }
    const fanPct = fanFailed ? 0 : 60;
    const fanRpm = fanFailed ? 0 : 1800 + 20 * gauss();
    const thermalThrottle = g.tempC >= 83;
    const clock = thermalThrottle ? 1350 + 10 * gauss() : 1750 + 5 * gauss();
    const powerW = (thermalThrottle ? 170 : 215) + 1.5 * gauss();
    // First-order thermal model: steady state 25 °C inlet + P × R_th, R_th 0.15 K/W with airflow, 0.35 without.
    const steady = 25 + powerW * (fanFailed ? 0.35 : 0.15);
    g.tempC += (steady - g.tempC) * (1 - Math.exp(-1 / 90)) + 0.05 * gauss();
    const hashrate = 120e6 * (clock / 1750) * (1 + 0.01 * gauss());
    g.hr1m += (hashrate - g.hr1m) * (1 - Math.exp(-1 / 60));
    const shares = poisson(hashrate / SHARE_DIFF);
    const badFrac = poolTrouble ? 0.15 : 0.004;
    for (let k = 0; k < shares; k += 1) {
      const r = rand();
      if (r < badFrac / 2) {
        g.counters.rej += 1;
        g.counters.dRej += SHARE_DIFF;
      } else if (r < badFrac) {
        g.counters.stale += 1;
        g.counters.dStale += SHARE_DIFF;
      } else {
        g.counters.acc += 1;
        g.counters.dAcc += SHARE_DIFF;
      }
    }
    g.counters.energy += powerW;
    const latency = poolTrouble ? 450 + 80 * gauss() : 45 + 4 * gauss();
    const values = [
      START_MS + s * 1000, 'rig-a', g.device, hashrate.toFixed(0), g.hr1m.toFixed(0), '120000000', g.counters.acc,
      g.counters.rej, g.counters.stale, g.counters.dAcc.toFixed(0), g.counters.dRej.toFixed(0),
      g.counters.dStale.toFixed(0), 0, powerW.toFixed(2), '220', g.counters.energy.toFixed(1), g.tempC.toFixed(1),
      (g.tempC + 12).toFixed(1), '83', fanPct, fanRpm.toFixed(0), clock.toFixed(0), '7000', 100,
      thermalThrottle ? 0x40 : 0, latency.toFixed(1),
    ];
    rows.push(values.join(','));
  }
}
writeFileSync(new URL('../samples/gpu-rig.csv', import.meta.url), `${rows.join('\n')}\n`);

// The real H100 capture (../shared/data/nvidia-h100) in the snapshot schema: idle, then a matmul load.
const capture = readFileSync(new URL('../../shared/data/nvidia-h100/nvidia_smi_query_gpu_40s.csv', import.meta.url), 'utf8');
const out = ['ts,rig,device,power_w,power_limit_w,temp_core_c,temp_mem_c,clock_core_mhz,clock_mem_mhz,util_pct,fan_pct,throttle_flags'];
for (const line of capture.trim().split('\n').slice(1)) {
  const f = line.split(', ');
  const ts = Date.parse(`${f[0].replace(/\//g, '-').replace(' ', 'T')}Z`);
  const num = (v: string): string => (v === '[N/A]' ? '' : v);
  out.push([ts, 'h100-node', f[4], f[5], f[6], f[8], f[9], f[10], f[11], f[12], num(f[14]), Number.parseInt(f[16], 16)].join(','));
}
writeFileSync(new URL('../samples/h100-load-start.csv', import.meta.url), `${out.join('\n')}\n`);
