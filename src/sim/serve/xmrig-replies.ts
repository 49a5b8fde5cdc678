// XMRig HTTP API v2 replies (`/2/summary`, `/2/backends`) of a simulated GPU rig, after
// wire-formats.md §3.7 and XMRig's doc/api/2 examples, built from the simulator's own templates.

import type { SimRig } from '../fleet.ts';
import type { SimGpu } from '../gpu-device.ts';
import { Rng } from '../rng.ts';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export const XMRIG_VERSION = '6.21.0';
const PLUGIN_VERSIONS = {
  'cuda-runtime': '12.4',
  'cuda-driver': '12.4',
  plugin: XMRIG_VERSION,
  nvml: '12.550.54',
  driver: '550.54',
};

/** H/s rounded to 2 decimals, as XMRig prints them; null until a window has filled. */
function rate(hs: number, filled: boolean): number | null {
  return filled ? Math.round(hs * 100) / 100 : null;
}

/** `[10 s, 60 s, 15 min]` windows of one GPU (null until the window has filled since start). */
function gpuWindows(gpu: SimGpu, uptimeS: number): (number | null)[] {
  if (gpu.isOffBus) return [0, 0, 0];
  return [
    rate(gpu.hashrate5s, uptimeS >= 10),
    rate(gpu.hashrate1m, uptimeS >= 60),
    rate(gpu.hashrate15m, uptimeS >= 900),
  ];
}

function sumWindows(rows: (number | null)[][]): (number | null)[] {
  return [0, 1, 2].map((k) =>
    rows.some((r) => r[k] === null)
      ? null
      : Math.round(rows.reduce((s, r) => s + (r[k] ?? 0), 0) * 100) / 100,
  );
}

/** The rig's counters as XMRig keeps them: good = accepted, total = every result the pool answered. */
function results(rig: SimRig) {
  let good = 0;
  let total = 0;
  let hashes = 0;
  for (const g of rig.gpus) {
    good += g.shares.accepted;
    total += g.shares.accepted + g.shares.rejected + g.shares.stale;
    hashes += g.shares.diffAccepted;
  }
  return { good, total, hashes };
}

function algoName(rig: SimRig): string {
  return rig.gpus[0]?.algo === 'kawpow' ? 'kawpow' : 'ethash';
}

/** `GET /2/summary` of the rig's XMRig process at `nowMs`. */
export function xmrigSummary(rig: SimRig, nowMs: number): Json {
  const uptimeS = Math.max(0, Math.floor((nowMs - rig.startMs) / 1000));
  const r = results(rig);
  const cfg = rig.pool.config;
  const windows = sumWindows(rig.gpus.map((g) => gpuWindows(g, uptimeS)));
  const avg = r.good > 0 ? uptimeS / r.good : 0;
  const idRng = Rng.derive(0x5eed, rig.name);
  const id = Array.from({ length: 16 }, () => idRng.int(16).toString(16)).join('');
  const highest = rig.gpus.reduce((s, g) => s + g.expectedHs, 0) * 1.02;
  return {
    id,
    worker_id: rig.name,
    uptime: uptimeS,
    restricted: true,
    resources: {
      memory: { free: 12_884_901_888, total: 33_554_432_000, resident_set_memory: 412_418_048 },
      load_average: [0.52, 0.61, 0.58],
      hardware_concurrency: 8,
    },
    features: ['api', 'asm', 'http', 'hwloc', 'tls', 'cuda', 'opencl'],
    results: {
      diff_current: cfg.difficulty,
      shares_good: r.good,
      shares_total: r.total,
      avg_time: Math.round(avg),
      avg_time_ms: Math.round(avg * 1000),
      hashes_total: r.hashes,
      best: [cfg.difficulty * 7, cfg.difficulty * 3, cfg.difficulty * 2, 0, 0, 0, 0, 0, 0, 0],
      error_log: [],
    },
    algo: algoName(rig),
    connection: {
      pool: cfg.url.replace(/^stratum\+tcp:\/\//, ''),
      ip: '127.0.0.1',
      uptime: uptimeS,
      uptime_ms: uptimeS * 1000,
      ping: Math.round(rig.pool.latencyMs),
      failures: 0,
      tls: null,
      'tls-fingerprint': null,
      algo: algoName(rig),
      diff: cfg.difficulty,
      accepted: r.good,
      rejected: r.total - r.good,
      avg_time: Math.round(avg),
      avg_time_ms: Math.round(avg * 1000),
      hashes_total: r.hashes,
      error_log: [],
    },
    version: XMRIG_VERSION,
    kind: 'miner',
    ua: `XMRig/${XMRIG_VERSION} (Linux x86_64) libuv/1.48.0 gcc/13.2.0`,
    cpu: {
      brand: 'AMD Ryzen 5 5600G with Radeon Graphics',
      family: 25,
      model: 80,
      stepping: 0,
      proc_info: 10_882_816,
      aes: true,
      avx2: true,
      x64: true,
      '64_bit': true,
      l2: 3_145_728,
      l3: 16_777_216,
      cores: 6,
      threads: 12,
      packages: 1,
      nodes: 1,
      backend: 'hwloc/2.10.0',
      msr: 'ryzen_19h',
      assembly: 'ryzen',
      arch: 'x86_64',
      flags: [
        'aes',
        'vaes',
        'avx',
        'avx2',
        'bmi2',
        'osxsave',
        'pdpe1gb',
        'sse2',
        'ssse3',
        'sse4.1',
        'popcnt',
      ],
    },
    donate_level: 0,
    paused: false,
    algorithms: ['rx/0', 'kawpow', 'cn/r', 'ghostrider'],
    hashrate: { total: windows, highest: Math.round(highest * 100) / 100 },
    hugepages: [0, 0],
  };
}

/** `GET /2/backends`: a disabled CPU backend and one CUDA thread per GPU with NVML health. */
export function xmrigBackends(rig: SimRig, nowMs: number): Json {
  const uptimeS = Math.max(0, Math.floor((nowMs - rig.startMs) / 1000));
  const threads: Json[] = rig.gpus.map((g, index) => {
    const off = g.isOffBus;
    return {
      index,
      threads: 256,
      blocks: g.profile.key === 'h100' ? 1056 : 640,
      bfactor: 0,
      bsleep: 0,
      affinity: -1,
      // Clocks XMRig's CUDA plugin was configured to set (0 = leave as is).
      cclock: 0,
      mclock: 0,
      dataset_host: false,
      hashrate: gpuWindows(g, uptimeS),
      name: g.profile.model,
      bus_id: g.id.pciBusId.slice(9).toLowerCase(),
      smx: g.profile.key === 'h100' ? 132 : 80,
      arch: g.profile.key === 'h100' ? 90 : 86,
      global_mem: g.profile.key === 'h100' ? 85_520_809_984 : 12_636_061_696,
      clock: g.profile.coreBoostMhz,
      memory_clock: g.profile.memDefaultMhz,
      // XMRig reads health through NVML; a GPU off the bus reads zeros (no fan list).
      health: {
        temperature: off ? 0 : Math.round(g.tempDieC),
        power: off ? 0 : Math.round(g.reportedPowerW),
        clock: off ? 0 : g.reportedCoreMhz,
        mem_clock: off ? 0 : Math.round(g.memClockMhz),
        fan_speed: off || !g.profile.hasFan ? [] : [Math.round(g.fanPct)],
      },
    };
  });
  const windows = sumWindows(rig.gpus.map((g) => gpuWindows(g, uptimeS)));
  return [
    {
      type: 'cpu',
      enabled: false,
      algo: null,
      profile: null,
      'hw-aes': true,
      priority: -1,
      msr: false,
      asm: 'none',
      'argon2-impl': 'default',
      hugepages: [0, 0],
      memory: 0,
      hashrate: [0, 0, 0],
      threads: [],
    },
    {
      type: 'cuda',
      enabled: true,
      algo: algoName(rig),
      profile: algoName(rig),
      versions: PLUGIN_VERSIONS,
      hashrate: windows,
      threads,
    },
  ];
}
