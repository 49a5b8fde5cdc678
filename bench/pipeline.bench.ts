// End-to-end benchmark of the running service: a simulated fleet polled at 1 Hz in real time through the
// ingest scheduler, scored, and written to every sink (embedded store, Valkey on loopback, Prometheus
// scraped every 5 s, Parquet, audit log). Reports sustained device-snapshots/s, tick latency (poll start
// → every sink handed the batch), main-thread utilisation and retained memory per device.
// `npm run bench:pipeline`; env BENCH_DEVICES (10000), BENCH_SECONDS (60), BENCH_WARMUP_S (20).
// The last line is one JSON object: {devices, snapshots_per_s, tick_p50_ms, tick_p99_ms, bytes_per_device}.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import type { RigTickBatch, Sink, SinkHealth } from '../src/core/sink.ts';
import { SYSTEM_TIMERS } from '../src/ingest/index.ts';
import { Service, type ServiceRig } from '../src/runtime/service.ts';
import { Fleet } from '../src/sim/index.ts';
import { create as createAudit } from '../src/sinks/audit/index.ts';
import { create as createEmbedded } from '../src/sinks/embedded/index.ts';
import { create as createParquet } from '../src/sinks/parquet/index.ts';
import { create as createPrometheus } from '../src/sinks/prometheus/index.ts';
import { create as createValkey } from '../src/sinks/valkey/index.ts';
import { startRedis } from '../test/helpers/redis-server.ts';
import { SimRigSource } from './pipeline/sim-rig-source.ts';
import { retainedBytes } from './retained-bytes.ts';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 20);
const SCRAPE_MS = 5000;

const clock = {
  nowMs: () => Date.now(),
  sleep: (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        reject(signal.reason);
      });
    }),
};

/** Last sink in the fan-out: a batch reaching it has been scored and handed to every other sink. */
class TickProbe implements Sink {
  readonly name = 'bench-probe';
  readonly pollStart = new Map<string, number>();
  latenciesMs: number[] = [];
  snapshots = 0;
  measuring = false;

  write(batch: RigTickBatch): void {
    const start = this.pollStart.get(batch.rig);
    if (!this.measuring || start === undefined || batch.snapshots.length === 0) return;
    this.latenciesMs.push(performance.now() - start);
    this.snapshots += batch.snapshots.length;
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  health(): SinkHealth {
    return { ok: true } as SinkHealth;
  }
}

const asics = Math.max(1, Math.round(DEVICES / 100));
const gpuRigs = Math.max(1, Math.round((DEVICES - 4 * asics) / 9));
const fleet = new Fleet({
  seed: 42,
  startMs: Date.now(),
  gpuRigs,
  gpusPerRig: 8,
  gpuModel: 'mixed',
  asics,
  settleS: 60,
});
/** GPUs, their rigs' pool devices, and each ASIC's 3 boards and total. */
const devices = gpuRigs * 9 + asics * 4;
const dir = mkdtempSync(join(tmpdir(), 'rigtune-bench-pipeline-'));
const redis = await startRedis();
const logger = pino({ level: 'warn' }, pino.destination(2));
const probe = new TickProbe();

const baseline = retainedBytes();
const prometheus = createPrometheus({ process_metrics: true }, { clock });
const valkey = createValkey(
  { url: redis.url, spool_dir: join(dir, 'spool') },
  { clock, logger: logger.child({ component: 'sink.valkey' }) },
);
const sinks: Sink[] = [
  createEmbedded({}, { clock }),
  valkey,
  prometheus,
  createParquet(
    { data_dir: join(dir, 'history') },
    { clock, logger: logger.child({ component: 'sink.parquet' }) },
  ),
  createAudit({ dir: join(dir, 'audit') }, { clock, logger: logger.child({ component: 'sink.audit' }) }),
  probe,
];
const rigs: ServiceRig[] = fleet.rigs.map((rig) => ({
  name: rig.name,
  scorer: {},
  sources: [
    {
      source: new SimRigSource(fleet, rig, (name) => probe.pollStart.set(name, performance.now())),
      fastCapable: false,
      intervalMs: 1000,
    },
  ],
}));
const service = new Service(
  rigs,
  { intervalMs: 1000, burstIntervalMs: 200, burstDurationMs: 0 },
  { clock, timers: SYSTEM_TIMERS, logger, sinks },
);

process.stderr.write(
  `bench:pipeline: ${devices} devices in ${rigs.length} rigs at 1 Hz, all sinks on; ` +
    `${WARMUP_S} s warm-up, ${SECONDS} s measured\n`,
);
const scrapeMs: number[] = [];
const scraper = setInterval(async () => {
  const t0 = performance.now();
  await prometheus.render();
  scrapeMs.push(performance.now() - t0);
}, SCRAPE_MS);
service.start();
await new Promise((r) => setTimeout(r, WARMUP_S * 1000));

probe.measuring = true;
const spooledBefore = valkey.stats().spooledTotal;
const elu0 = performance.eventLoopUtilization();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await new Promise((r) => setTimeout(r, SECONDS * 1000));
const wallS = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const elu = performance.eventLoopUtilization(elu0);
probe.measuring = false;

const retained = retainedBytes() - baseline;
// Batches the Valkey sink had to spool while measured (its queue overflowed or a reply was late): 0 on a
// healthy run.
const valkeySpooled = valkey.stats().spooledTotal - spooledBefore;
clearInterval(scraper);
const stopT0 = performance.now();
await service.stop();
const stopS = (performance.now() - stopT0) / 1000;
await redis.stop();
rmSync(dir, { recursive: true, force: true });

const lat = probe.latenciesMs.sort((a, b) => a - b);
const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? Number.NaN;
const rate = probe.snapshots / wallS;
const stats = service.stats();
console.log(
  `Service end to end, Node ${process.version}, ${devices} devices (${rigs.length} rigs), 1 Hz polls`,
);
console.log(
  `sustained ${Math.round(rate).toLocaleString('en-US')} device-snapshots/s of ${devices} offered; ` +
    `tick (poll → all sinks) p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, max ${pct(1).toFixed(1)} ms`,
);
console.log(
  `main thread busy ${(elu.utilization * 100).toFixed(0)} %, process CPU ${(((cpu.user + cpu.system) / 1e6 / wallS) * 100).toFixed(0)} % of one core; ` +
    `/metrics render p50 ${(scrapeMs.sort((a, b) => a - b)[scrapeMs.length >> 1] ?? 0).toFixed(0)} ms`,
);
console.log(
  `retained ${(retained / devices / 1024).toFixed(1)} KiB per device (heap + typed arrays, after GC); ` +
    `${stats.scores} scores, ${stats.events} events; Valkey batches spooled while measured ${valkeySpooled}; ` +
    `stop (flush all sinks) ${stopS.toFixed(1)} s`,
);
console.log(
  JSON.stringify({
    devices,
    snapshots_per_s: Math.round(rate),
    tick_p50_ms: Math.round(pct(0.5) * 10) / 10,
    tick_p99_ms: Math.round(pct(0.99) * 10) / 10,
    bytes_per_device: Math.round(retained / devices),
  }),
);
