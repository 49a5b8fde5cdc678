// Shared pieces of the scale-out integration tests: a simulated fleet's polls as batches, an in-process
// stream writer and workers on a real redis-server, and the single-process reference to compare with.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Snapshot } from '../../src/core/snapshot.ts';
import { RigScorer } from '../../src/runtime/rig-scorer.ts';
import {
  DEFAULT_WORKER_OPTIONS,
  openValkey,
  RigAdvisor,
  stateJson,
  type ValkeyPort,
  Worker,
  type WorkerOptions,
} from '../../src/runtime/scale/index.ts';
import { groupInfo, mapOf } from '../../src/runtime/scale/replies.ts';
import { Fleet, parseFaultSpec } from '../../src/sim/index.ts';
import { controlJson } from '../../src/sinks/valkey/index.ts';
import { create as createWriter, type StreamWriter } from '../../src/sinks/valkey-streams/index.ts';

export const silent = pino({ level: 'silent' });

/** One rig poll as the collector appends it. */
export interface Poll {
  readonly rig: string;
  readonly snapshots: readonly Snapshot[];
}

/** `ticks` seconds of a small simulated fleet, one poll per rig per tick, in order. */
export function fleetPolls(ticks: number, seed = 7, startMs = 1_700_000_000_000, faults = ''): Poll[] {
  const fleet = new Fleet({
    seed,
    startMs,
    gpuRigs: 4,
    gpusPerRig: 2,
    asics: 2,
    settleS: 60,
    ...(faults === '' ? {} : { faults: parseFaultSpec(faults) }),
  });
  const polls: Poll[] = [];
  for (let t = 0; t < ticks; t++) {
    fleet.step(1000);
    const byRig = new Map<string, Snapshot[]>();
    for (const s of fleet.snapshots()) {
      const list = byRig.get(s.rig);
      if (list === undefined) byRig.set(s.rig, [s]);
      else list.push(s);
    }
    for (const [rig, snapshots] of byRig) polls.push({ rig, snapshots });
  }
  return polls;
}

/** What the single-process service stores as `telemetry:last:{rig}` after scoring `polls` in order. */
export function referenceLast(polls: readonly Poll[]): Map<string, string> {
  const scorers = new Map<string, RigScorer>();
  const out = new Map<string, string>();
  for (const { rig, snapshots } of polls) {
    const s = scorers.get(rig) ?? new RigScorer(rig, {});
    scorers.set(rig, s);
    out.set(rig, stateJson(s.score(snapshots).state));
  }
  return out;
}

/**
 * What the single-process service publishes on `telemetry:advice:{rig}` (in order, per rig) and holds in
 * the hash at the end (episode id → record JSON) after scoring and advising `polls` in order, each at
 * its newest snapshot's time (the tick the stream writer stamps when none is given).
 */
export function referenceAdvice(polls: readonly Poll[]): {
  published: Map<string, string[]>;
  active: Map<string, Record<string, string>>;
} {
  const scorers = new Map<string, RigScorer>();
  const advisor = new RigAdvisor((_rig, err) => {
    throw err;
  });
  const published = new Map<string, string[]>();
  const active = new Map<string, Record<string, string>>();
  for (const { rig, snapshots } of polls) {
    const s = scorers.get(rig) ?? new RigScorer(rig, {});
    scorers.set(rig, s);
    const r = s.score(snapshots);
    const ts = Math.max(...snapshots.map((x) => x.ts));
    for (const { record } of advisor.observe({ ...r, rig, ts, snapshots })) {
      const json = controlJson(record);
      published.set(rig, [...(published.get(rig) ?? []), json]);
      const held = active.get(rig) ?? {};
      const id = String(record.payload.id);
      if (record.payload.state === 'cleared') delete held[id];
      else held[id] = json;
      active.set(rig, held);
    }
  }
  return { published, active };
}

/** A stream writer with its own connection and a fresh spool directory. */
export function startWriter(
  url: string,
  collectorId = 'site-a',
  partitions = 8,
): { writer: StreamWriter; port: ValkeyPort } {
  const port = openValkey({ urls: [url], reconnectMaxMs: 100 });
  const spool = mkdtempSync(join(tmpdir(), 'rigtune-collect-'));
  const writer = createWriter(
    {
      collector_id: collectorId,
      partitions,
      spool_dir: spool,
      spool_fsync_interval_ms: 0,
      command_timeout_ms: 500,
      retry_max_ms: 100,
    },
    { port, logger: silent },
  );
  return { writer, port };
}

/** Worker options for tests: short leases, a rebuild window that covers the whole test. */
export function testWorkerOptions(id: string, over: Partial<WorkerOptions> = {}): WorkerOptions {
  return {
    ...DEFAULT_WORKER_OPTIONS,
    id,
    partitions: 8,
    leaseTtlMs: 600,
    blockMs: 50,
    rebuildMs: 3_600_000,
    ...over,
  };
}

/** An in-process worker on its own connection; stop() also closes the connection. */
export async function startWorker(url: string, id: string, over: Partial<WorkerOptions> = {}) {
  const port = openValkey({ urls: [url], reconnectMaxMs: 100 });
  const worker = new Worker(testWorkerOptions(id, over), { port, logger: silent });
  await worker.start();
  return {
    worker,
    port,
    async stop() {
      await worker.stop();
      await port.close();
    },
  };
}

/** Entries of the group not yet acknowledged, over all partitions. */
export async function pendingCount(port: ValkeyPort, partitions: number): Promise<number> {
  let n = 0;
  for (let p = 0; p < partitions; p++) {
    const key = `telemetry:snapshots:{${p}}`;
    const r = await port.command(key, ['XPENDING', key, 'rigtune-workers']).catch(() => null);
    const count = Array.isArray(r) ? r[0] : mapOf(r).get('pending');
    if (typeof count === 'number') n += count;
  }
  return n;
}

/** Entries appended to every partition, and how many of them the group has delivered. */
export async function groupLag(
  port: ValkeyPort,
  partitions: number,
): Promise<{ length: number; undelivered: number }> {
  let length = 0;
  let undelivered = 0;
  for (let p = 0; p < partitions; p++) {
    const key = `telemetry:snapshots:{${p}}`;
    const len = Number(await port.command(key, ['XLEN', key]));
    length += len;
    const g = groupInfo(await port.command(key, ['XINFO', 'GROUPS', key]).catch(() => []), 'rigtune-workers');
    const lag = g?.get('lag');
    undelivered += typeof lag === 'number' ? lag : len;
  }
  return { length, undelivered };
}

/** One GPU rig (`rig0`, two GPUs) whose gpu0 fan fails from 20 s to 80 s: four advice episodes. */
export function simFaultFleet(startMs: number): Fleet {
  return new Fleet({
    seed: 7,
    startMs,
    gpuRigs: 1,
    gpusPerRig: 2,
    asics: 0,
    faults: parseFaultSpec('fan_failure@rig0/gpu0@20s+60s'),
  });
}

/**
 * `rigtune worker` as a child process (id `child`, stderr kept). A long BLOCK keeps its reads parked at
 * the server, so entries appended while it is stopped are delivered to it (its pending list).
 */
export function spawnWorkerProcess(
  url: string,
  partitions: number,
  ttlMs: number,
): { child: ChildProcess; stderr: () => string } {
  const args = ['worker', '--valkey', url, '--id', 'child', '--partitions', String(partitions)];
  args.push('--lease-ttl-ms', String(ttlMs), '--block-ms', '10000', '--rebuild-ms', '3600000');
  const child = spawn(new URL('../../bin/rigtune', import.meta.url).pathname, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, RIGTUNE_LOG_LEVEL: 'warn' },
  });
  let err = '';
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  return { child, stderr: () => err };
}
