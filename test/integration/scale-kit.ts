// Shared pieces of the scale-out integration tests: a simulated fleet's polls as batches, an in-process
// stream writer and workers on a real redis-server, and the single-process reference to compare with.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Snapshot } from '../../src/core/snapshot.ts';
import { RigScorer } from '../../src/runtime/rig-scorer.ts';
import {
  DEFAULT_WORKER_OPTIONS,
  openValkey,
  stateJson,
  type ValkeyPort,
  Worker,
  type WorkerOptions,
} from '../../src/runtime/scale/index.ts';
import { groupInfo, mapOf } from '../../src/runtime/scale/replies.ts';
import { Fleet } from '../../src/sim/index.ts';
import { create as createWriter, type StreamWriter } from '../../src/sinks/valkey-streams/index.ts';

export const silent = pino({ level: 'silent' });

/** One rig poll as the collector appends it. */
export interface Poll {
  readonly rig: string;
  readonly snapshots: readonly Snapshot[];
}

/** `ticks` seconds of a small simulated fleet, one poll per rig per tick, in order. */
export function fleetPolls(ticks: number, seed = 7, startMs = 1_700_000_000_000): Poll[] {
  const fleet = new Fleet({ seed, startMs, gpuRigs: 4, gpusPerRig: 2, asics: 2, settleS: 60 });
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
