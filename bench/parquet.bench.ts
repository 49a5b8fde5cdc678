// Benchmark of the Parquet history sink: 10,000 devices' snapshots (then snapshots + scores) written,
// encoded and committed; per-row costs (wall and main-thread CPU), file bytes per row, and the longest
// event-loop stall while encoding.
// Run with `node bench/parquet.bench.ts`; the last line is one JSON object.

import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import type { Clock } from '../src/core/clock.ts';
import type { RigTickBatch } from '../src/core/sink.ts';
import { emptySnapshot, type Snapshot } from '../src/core/snapshot.ts';
import { create } from '../src/sinks/parquet/index.ts';
import { scoreAt } from '../test/helpers/parquet-batches.ts';

const DEVICES = 10_000;
const PER_RIG = 64;
const TICKS = 30;
const T0 = Date.parse('2026-03-01T06:00:00Z');

const clock: Clock = {
  nowMs: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }),
};

/** A GPU snapshot with the fields NVML fills, values varying per device and tick (seeded, no RNG state). */
function snapshot(ts: number, rig: string, device: string, d: number, k: number): Snapshot {
  const wobble = Math.sin(d * 12.9898 + k * 78.233) * 0.5 + 0.5;
  return {
    ...emptySnapshot(ts, rig, device),
    hashrate_5s: 1.2e8 + wobble * 1e6,
    hashrate_1m: 1.2e8 + wobble * 5e5,
    power_w: 250 + wobble * 20,
    power_limit_w: 300,
    temp_core_c: 60 + Math.round(wobble * 10),
    temp_mem_c: 80 + Math.round(wobble * 6),
    fan_pct: 70,
    clock_core_mhz: 1800 + Math.round(wobble * 50),
    clock_mem_mhz: 9501,
    util_pct: 100,
    accepted_shares: k * 3 + (d % 7),
    rejected_shares: d % 3,
    energy_j: (k + 1000) * 260,
    throttle_flags: k % 9 === 0 ? 4 : 0,
  };
}

function buildTick(k: number, withScores: boolean): RigTickBatch[] {
  const batches: RigTickBatch[] = [];
  const ts = T0 + k * 1000;
  for (let r = 0; r * PER_RIG < DEVICES; r++) {
    const rig = `rig-${String(r).padStart(3, '0')}`;
    const n = Math.min(PER_RIG, DEVICES - r * PER_RIG);
    const snapshots = Array.from({ length: n }, (_, i) => snapshot(ts, rig, `gpu${i}`, r * PER_RIG + i, k));
    const scores = withScores ? Array.from({ length: n }, (_, i) => scoreAt(ts, rig, i, k)) : [];
    batches.push({ rig, ts, snapshots, scores, events: [], state: { schema: 1, rig, ts, devices: scores } });
  }
  return batches;
}

function bytesOf(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  }
  return total;
}

interface Run {
  readonly rows: number;
  readonly writeNsPerRow: number;
  readonly encodeNsPerRow: number;
  readonly rowsPerS: number;
  readonly bytesPerRow: number;
  readonly maxStallMs: number;
  /** Main-thread CPU of write + encode + commit per row (the machine may be shared: wall time is noisy). */
  readonly cpuNsPerRow: number;
}

/** CPU time of this thread, ns. */
function threadCpuNs(): number {
  const u = process.threadCpuUsage();
  return (u.user + u.system) * 1000;
}

async function run(withScores: boolean): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-parquet-bench-'));
  const sink = create(
    { data_dir: dir, events: false, retention_days: null },
    { clock, logger: pino({ level: 'silent' }) },
  );
  await sink.ready();
  const ticks = Array.from({ length: TICKS }, (_, k) => buildTick(k, withScores));
  const rows = DEVICES * TICKS * (withScores ? 2 : 1);
  const cpu0 = threadCpuNs();
  const t0 = performance.now();
  for (const tick of ticks) for (const b of tick) sink.write(b);
  const t1 = performance.now();
  const stall = monitorEventLoopDelay({ resolution: 5 });
  stall.enable();
  await sink.flush();
  stall.disable();
  const t2 = performance.now();
  const cpu = threadCpuNs() - cpu0;
  await sink.close();
  const bytes = bytesOf(dir);
  rmSync(dir, { recursive: true, force: true });
  return {
    rows,
    writeNsPerRow: ((t1 - t0) * 1e6) / rows,
    encodeNsPerRow: ((t2 - t1) * 1e6) / rows,
    rowsPerS: rows / ((t2 - t0) / 1000),
    bytesPerRow: bytes / rows,
    maxStallMs: stall.max / 1e6,
    cpuNsPerRow: cpu / rows,
  };
}

await run(false); // warm-up (JIT)
const snaps = await run(false);
const both = await run(true);
const round = (v: number, digits = 1): number => Number(v.toFixed(digits));
console.log(`devices ${DEVICES}, ticks ${TICKS}`);
for (const [name, r] of [
  ['snapshots', snaps],
  ['snapshots+scores', both],
] as const) {
  console.log(
    `${name.padEnd(17)} rows ${r.rows}  write ${round(r.writeNsPerRow, 0)} ns/row  encode+commit ${round(r.encodeNsPerRow, 0)} ns/row  ${round(r.rowsPerS, 0)} rows/s  main-thread CPU ${round(r.cpuNsPerRow, 0)} ns/row  ${round(r.bytesPerRow)} B/row  max stall ${round(r.maxStallMs)} ms`,
  );
}
console.log(
  JSON.stringify({
    devices: DEVICES,
    rows_per_s: round(snaps.rowsPerS, 0),
    bytes_per_row: round(snaps.bytesPerRow),
    write_ns_per_row: round(snaps.writeNsPerRow, 0),
    encode_ns_per_row: round(snaps.encodeNsPerRow, 0),
    with_scores_rows_per_s: round(both.rowsPerS, 0),
    with_scores_bytes_per_row: round(both.bytesPerRow),
    core_share_at_1hz: round((DEVICES * 2) / both.rowsPerS, 3),
    max_stall_ms: round(Math.max(snaps.maxStallMs, both.maxStallMs)),
    cpu_ns_per_row: round(snaps.cpuNsPerRow, 0),
    with_scores_cpu_ns_per_row: round(both.cpuNsPerRow, 0),
  }),
);
