// Benchmark of the scale-out roles end to end (simulated sites → partition streams → worker processes →
// results in Valkey): sustained device-snapshots/s with 1 then 2 workers, p99 latency, takeover time.
// Run with `npm run bench:scale [-- --cluster]`; flags below. The last line is one JSON object.

import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_WORKER_OPTIONS } from '../src/runtime/scale/index.ts';
import { partitionOf } from '../src/sinks/valkey-streams/index.ts';
import { killAll, SiteChild, until, WorkerChild } from './scale/children.ts';
import type { SiteSpec, WorkerSpec } from './scale/protocol.ts';
import { watchScores } from './scale/score-watch.ts';
import { backlog, openTarget } from './scale/target.ts';

const { values: flags } = parseArgs({
  options: {
    cluster: { type: 'boolean', default: false }, // a 3-master loopback cluster instead of one server
    valkey: { type: 'string' }, // external URL(s), comma-separated (several = a cluster)
    sites: { type: 'string', default: '2' },
    'gpus-per-rig': { type: 'string', default: '8' },
    'flood-rigs': { type: 'string', default: '150' }, // GPU rigs per site in the throughput phases
    'flood-ticks': { type: 'string', default: '40' }, // seconds of polls each site floods in
    'paced-rigs': { type: 'string', default: '60' }, // GPU rigs per site at 1 Hz (latency, takeover)
    'paced-s': { type: 'string', default: '15' }, // latency window after a 3 s warm-up
    partitions: { type: 'string', default: '16' },
    'lease-ttl-ms': { type: 'string', default: '3000' },
    'drain-max-s': { type: 'string', default: '120' }, // longest wait for a throughput phase's backlog
    'read-count': { type: 'string', default: String(DEFAULT_WORKER_OPTIONS.readCount) }, // entries per XREADGROUP
  },
});
const num = (name: keyof typeof flags) => Number(flags[name]);
const SITES = num('sites');
const PER_RIG = num('gpus-per-rig');
const PARTITIONS = num('partitions');
const LEASE_TTL_MS = num('lease-ttl-ms');
const PREFIX = 'telemetry';

const target = await openTarget(flags.cluster ? 'cluster' : 'single', flags.valkey ?? null);
const spoolRoot = mkdtempSync(join(tmpdir(), 'rigtune-scale-bench-'));
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] ?? NaN;
const log = (line: string) => console.log(line);

function startWorkers(n: number, phase: string): WorkerChild[] {
  return Array.from({ length: n }, (_, i) => {
    const spec: WorkerSpec = {
      urls: target.urls,
      cluster: target.cluster,
      id: `${phase}-w${i + 1}`,
      partitions: PARTITIONS,
      leaseTtlMs: LEASE_TTL_MS,
      rebuildMs: 300_000,
      readCount: num('read-count'),
    };
    return new WorkerChild(spec);
  });
}

/** Every partition owned, and each worker at its fair share (⌊P/n⌋ or ⌈P/n⌉). */
async function balanced(workers: readonly WorkerChild[]): Promise<void> {
  const lo = Math.floor(PARTITIONS / workers.length);
  const ok = () =>
    sum(workers.map((w) => w.owned.length)) === PARTITIONS &&
    workers.every((w) => w.owned.length === lo || w.owned.length === lo + 1);
  await until(ok, `${workers.length} workers share the ${PARTITIONS} partitions`, 60_000);
}

function startSites(mode: SiteSpec['mode'], rigsPerSite: number, ticks: number, phase: string): SiteChild[] {
  return Array.from({ length: SITES }, (_, i) => {
    const site = `site${i}`;
    const spoolDir = join(spoolRoot, `${phase}-${site}`);
    const spec: SiteSpec = {
      urls: target.urls,
      cluster: target.cluster,
      site,
      seed: 100 + i,
      gpuRigs: rigsPerSite,
      gpusPerRig: PER_RIG,
      partitions: PARTITIONS,
      mode,
      ticks,
      spoolDir,
    };
    return new SiteChild(spec);
  });
}

/**
 * Throughput with `n` workers: the workers share the partitions first, then the sites flood a backlog
 * of polls; the rate is the backlog left when the sites finished, over the time the workers took to
 * score it (collector → stream → worker → results; the sites idle meanwhile).
 */
async function throughput(n: number) {
  await target.flush();
  const workers = startWorkers(n, `t${n}`);
  await balanced(workers);
  const sites = startSites('flood', num('flood-rigs'), num('flood-ticks'), `t${n}`);
  const reports = await Promise.all(sites.map((s) => s.done));
  const appendedAt = Date.now();
  const total = sum(reports.map((r) => r.snapshots));
  const perEntry = total / sum(reports.map((r) => r.polls));
  // Valkey is the judge of "scored": entries delivered and acknowledged by the group (a worker's own
  // counters would count an entry twice if it lost a lease and took the partition over again).
  const left = await backlog(target.port, PREFIX, PARTITIONS);
  const cpuAt = { workers: sum(workers.map((w) => w.cpuS)), valkey: await target.cpuS() };
  // Bounded: a worker that cannot keep its leases may never finish; the rate is then what it managed.
  let remaining = left;
  const drainDeadline = Date.now() + num('drain-max-s') * 1000;
  while (remaining > 0 && Date.now() < drainDeadline) {
    await new Promise((r) => setTimeout(r, 100));
    remaining = await backlog(target.port, PREFIX, PARTITIONS);
  }
  const doneAt = Date.now();
  const workerCpuS = sum(workers.map((w) => w.cpuS)) - cpuAt.workers;
  const valkeyCpuS = (await target.cpuS()) - cpuAt.valkey;
  await Promise.all(workers.map((w) => w.stop()));
  const drained = (left - remaining) * perEntry;
  const rate = drained / ((doneAt - appendedAt) / 1000);
  // CPU cost per 1000 device-snapshots while draining (the workers' and Valkey's own counters).
  const workerMsPer1k = (workerCpuS * 1e6) / drained;
  const valkeyMsPer1k = (valkeyCpuS * 1e6) / drained;
  const appendRate = total / (Math.max(...reports.map((r) => r.elapsedMs)) / 1000);
  const stats = workers.map((w) => w.stats);
  const count = (k: 'leasesLost' | 'takeovers' | 'duplicateEntries' | 'rebuiltEntries' | 'snapshots') =>
    sum(stats.map((st) => st?.[k] ?? 0));
  log(
    `${n} worker(s): ${Math.round(rate)} snapshots/s over a backlog of ${Math.round(left * perEntry)} of ${total} ` +
      `(${SITES} sites appended ${Math.round(appendRate)} snapshots/s; scored per worker ${workers.map((w) => w.scored).join(' / ')}; ` +
      `leases lost ${count('leasesLost')}, takeovers ${count('takeovers')}, rebuilt ${count('rebuiltEntries')} entries; ` +
      `CPU per 1000 snapshots: workers ${workerMsPer1k.toFixed(1)} ms, Valkey ${valkeyMsPer1k.toFixed(1)} ms)`,
  );
  if (remaining > 0)
    log(`${n} worker(s): NOT drained within ${num('drain-max-s')} s (${remaining} entries left)`);
  return {
    rate,
    total,
    appendRate,
    leasesLost: count('leasesLost'),
    workerMsPer1k,
    valkeyMsPer1k,
    complete: remaining === 0,
  };
}

/** 1 Hz sites with 2 workers: end-to-end latency, then one worker SIGKILLed and its partitions' rigs timed. */
async function pacedAndTakeover() {
  await target.flush();
  const workers = startWorkers(2, 'p');
  await balanced(workers);
  const watch = await watchScores(target.urls[0] ?? '', PREFIX);
  const rigsPerSite = num('paced-rigs');
  const sites = startSites('paced', rigsPerSite, 0, 'p');
  const ticks = () => Math.min(...sites.map((s) => s.last?.polls ?? 0)) / rigsPerSite;
  await until(() => ticks() >= 3, 'three paced ticks (warm-up)', 30_000);
  const from = Date.now();
  await until(
    () => Date.now() - from >= num('paced-s') * 1000,
    'the latency window',
    num('paced-s') * 1000 + 5000,
    100,
  );
  const latencies = watch.latencies(from);

  const [survivor, victim] = workers as [WorkerChild, WorkerChild];
  const owned = new Set(victim.owned);
  const rigs: string[] = [];
  for (let i = 0; i < SITES; i++)
    for (let r = 0; r < rigsPerSite; r++)
      if (owned.has(partitionOf(`site${i}-rig${r}`, PARTITIONS))) rigs.push(`site${i}-rig${r}`);
  const killedAt = Date.now();
  await victim.kill();
  const before = new Map(rigs.map((rig) => [rig, watch.newestTs.get(rig) ?? 0]));
  const resumed = await Promise.all(rigs.map((rig) => watch.nextNewer(rig, before.get(rig) ?? 0, 60_000)));
  const missing = resumed.filter((t) => t === null).length;
  const takeoverS = missing > 0 ? NaN : (Math.max(...(resumed as number[])) - killedAt) / 1000;
  await Promise.all(sites.map((s) => s.stop()));
  await survivor.stop();
  const stats = survivor.stats;
  await watch.close();
  const devices = SITES * rigsPerSite * PER_RIG;
  log(
    `paced: ${devices} devices at 1 Hz, ${latencies.length} states: e2e p50 ${quantile(latencies, 0.5)} ms, ` +
      `p99 ${quantile(latencies, 0.99)} ms; takeover of ${owned.size} partitions (${rigs.length} rigs) after SIGKILL ` +
      `${takeoverS.toFixed(2)} s (claimed ${stats?.claimed ?? 0} entries, rebuilt ${stats?.rebuiltEntries ?? 0}); ` +
      `states going backwards: ${watch.regressions}`,
  );
  return {
    devices,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    takeoverS,
    regressions: watch.regressions,
  };
}

try {
  log(`target ${target.kind} (${target.urls.join(', ')}), ${cpus().length} cores, ${PARTITIONS} partitions`);
  const w1 = await throughput(1);
  const w2 = await throughput(2);
  const paced = await pacedAndTakeover();
  const result = {
    w1_snapshots_per_s: Math.round(w1.rate),
    w2_snapshots_per_s: Math.round(w2.rate),
    scaling_ratio: Number((w2.rate / w1.rate).toFixed(2)),
    e2e_p50_ms: paced.p50,
    e2e_p99_ms: paced.p99,
    takeover_s: Number(paced.takeoverS.toFixed(2)),
    devices: SITES * num('flood-rigs') * PER_RIG,
    paced_devices: paced.devices,
    append_snapshots_per_s: Math.round(Math.min(w1.appendRate, w2.appendRate)),
    state_regressions: paced.regressions,
    worker_cpu_ms_per_1k_snapshots: Number(w1.workerMsPer1k.toFixed(1)),
    valkey_cpu_ms_per_1k_snapshots: Number(w1.valkeyMsPer1k.toFixed(1)),
    devices_per_worker_core_1hz: Math.round(1e6 / w1.workerMsPer1k),
    w1_drained: w1.complete,
    w2_drained: w2.complete,
    leases_lost_w1: w1.leasesLost,
    leases_lost_w2: w2.leasesLost,
    partitions: PARTITIONS,
    lease_ttl_ms: LEASE_TTL_MS,
    read_count: num('read-count'),
    target: target.kind,
    cores: cpus().length,
  };
  console.log(JSON.stringify(result));
} finally {
  killAll();
  await target.stop();
  rmSync(spoolRoot, { recursive: true, force: true });
}
