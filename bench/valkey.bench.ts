// Benchmark of the Valkey sink against a loopback redis-server: 10,000 devices in rigs of 8, each tick's
// batches (snapshots + scores as latest state) pipelined; sustained device-snapshots/s, the caller's cost
// and the main thread's CPU per snapshot (encoding, sending, replies: what the service's one core pays).
// Run with `node bench/valkey.bench.ts [devices] [ticks]`; the last line is one JSON object.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { RigTickBatch } from '../src/core/sink.ts';
import { emptySnapshot, type Snapshot } from '../src/core/snapshot.ts';
import { create } from '../src/sinks/valkey/index.ts';
import { scoreAt } from '../test/helpers/parquet-batches.ts';
import { startRedis, waitUntil } from '../test/helpers/redis-server.ts';

const DEVICES = Number(process.argv[2] ?? 10_000);
const TICKS = Number(process.argv[3] ?? 20);
const PER_RIG = 8;
const T0 = Date.parse('2026-03-01T06:00:00Z');

function snapshot(ts: number, rig: string, d: number, k: number): Snapshot {
  const wobble = Math.sin(d * 12.9898 + k * 78.233) * 0.5 + 0.5;
  return {
    ...emptySnapshot(ts, rig, `gpu${d % PER_RIG}`),
    hashrate_5s: 1.2e8 + wobble * 1e6,
    power_w: 250 + wobble * 20,
    power_limit_w: 300,
    temp_core_c: 60 + Math.round(wobble * 10),
    temp_mem_c: 80 + Math.round(wobble * 6),
    fan_pct: 70,
    clock_core_mhz: 1800 + Math.round(wobble * 50),
    clock_mem_mhz: 9501,
    util_pct: 100,
    accepted_shares: k * 3 + (d % 7),
    energy_j: (k + 1000) * 260,
    throttle_flags: 0,
  };
}

function buildTick(k: number): RigTickBatch[] {
  const ts = T0 + k * 1000;
  const batches: RigTickBatch[] = [];
  for (let r = 0; r * PER_RIG < DEVICES; r++) {
    const rig = `rig-${String(r).padStart(4, '0')}`;
    const n = Math.min(PER_RIG, DEVICES - r * PER_RIG);
    const snapshots = Array.from({ length: n }, (_, i) => snapshot(ts, rig, r * PER_RIG + i, k));
    const scores = Array.from({ length: n }, (_, i) => scoreAt(ts, rig, i, k));
    batches.push({ rig, ts, snapshots, scores, events: [], state: { schema: 1, rig, ts, devices: scores } });
  }
  return batches;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];

const server = await startRedis();
const dir = mkdtempSync(join(tmpdir(), 'rigtune-valkey-bench-'));
const sink = create(
  { url: server.url, spool_dir: join(dir, 'spool'), queue_max_bytes: 1 << 30, stream_max_len: 1000 },
  { logger: pino({ level: 'silent' }) },
);
await waitUntil(() => sink.health().ok, 'connected');
const ticks = Array.from({ length: TICKS }, (_, k) => buildTick(k));
const perTick = ticks[0].length;
const writeMs: number[] = [];
const started = performance.now();
const cpu0 = process.threadCpuUsage();
for (const batches of ticks) {
  const t = performance.now();
  for (const b of batches) sink.write(b);
  writeMs.push(performance.now() - t);
  // Keep at most about one tick queued, as a 1 Hz service would; the loop sends meanwhile.
  await waitUntil(() => sink.health().queued <= perTick, 'the queue drains', {
    intervalMs: 1,
    timeoutMs: 120_000,
  });
}
await waitUntil(() => sink.health().queued === 0 && sink.health().spooled === 0, 'all written', {
  intervalMs: 1,
  timeoutMs: 120_000,
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.threadCpuUsage(cpu0);
const stats = sink.stats();
await sink.close();

// Outage: the same ticks (later times) go to the spool while the server is down, then are replayed.
await server.kill();
const down = create(
  { url: server.url, spool_dir: join(dir, 'spool2'), stream_max_len: 1000, reconnect_max_ms: 100 },
  { logger: pino({ level: 'silent' }) },
);
const spoolMs: number[] = [];
for (const [k, batches] of ticks.entries()) {
  const t = performance.now();
  for (const b of batches)
    down.write({ ...b, ts: b.ts + TICKS * 1000, state: { ...b.state, ts: b.state.ts + TICKS * 1000 } });
  spoolMs.push(performance.now() - t);
  if (k % 5 === 4) await down.flush();
}
await down.flush();
await server.restart();
const replayStart = performance.now();
await waitUntil(() => down.health().ok && down.health().spooled === 0, 'replayed', {
  intervalMs: 1,
  timeoutMs: 300_000,
});
const replaySeconds = (performance.now() - replayStart) / 1000;
await down.close();
await server.stop();
rmSync(dir, { recursive: true, force: true });
const snapshots = DEVICES * TICKS;
console.log(
  `${snapshots} snapshots in ${seconds.toFixed(2)} s; pipelines ${stats.pipelines}, spooled ${stats.spooledTotal}`,
);
console.log(
  `outage: spooled ${snapshots} snapshots, replayed in ${replaySeconds.toFixed(2)} s (incl. reconnect)`,
);
console.log(
  JSON.stringify({
    devices: DEVICES,
    rigs: perTick,
    ticks: TICKS,
    snapshots_per_s: Math.round(snapshots / seconds),
    batches_per_s: Math.round((perTick * TICKS) / seconds),
    write_ms_per_tick_p50: Number(quantile(writeMs, 0.5).toFixed(1)),
    write_ms_per_tick_max: Number(Math.max(...writeMs).toFixed(1)),
    entries_added: stats.entriesAdded,
    spooled: stats.spooledTotal,
    spool_write_ms_per_tick_p50: Number(quantile(spoolMs, 0.5).toFixed(1)),
    replay_snapshots_per_s: Math.round(snapshots / replaySeconds),
    main_cpu_us_per_snapshot: Number(((cpu.user + cpu.system) / snapshots).toFixed(2)),
  }),
);
