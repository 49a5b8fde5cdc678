// The messages between bench/scale.bench.ts and its child processes (workers, sites): their start
// configuration (argv[2], JSON) and what they report back over IPC.

import type { WorkerStats } from '../../src/runtime/scale/index.ts';

/** A worker process's configuration. */
export interface WorkerSpec {
  readonly urls: readonly string[];
  readonly cluster: boolean;
  readonly id: string;
  readonly partitions: number;
  readonly leaseTtlMs: number;
  readonly rebuildMs: number;
  /** Entries per XREADGROUP (and per scoring turn). */
  readonly readCount: number;
}

/** A worker's counters and owned partitions, every 100 ms. */
export interface WorkerReport {
  readonly type: 'stats';
  readonly stats: WorkerStats;
  readonly owned: readonly number[];
  /** CPU seconds (user + system) the worker process has used. */
  readonly cpuS: number;
}

/** A simulated site's configuration: its fleet, and whether it floods (prefill) or runs at 1 Hz. */
export interface SiteSpec {
  readonly urls: readonly string[];
  readonly cluster: boolean;
  /** Collector id and rig-name prefix (`<site>-rig3`). */
  readonly site: string;
  readonly seed: number;
  readonly gpuRigs: number;
  readonly gpusPerRig: number;
  readonly partitions: number;
  /** `flood`: `ticks` ticks appended as fast as the writer takes them, then exit; `paced`: 1 Hz until stop. */
  readonly mode: 'flood' | 'paced';
  readonly ticks: number;
  readonly spoolDir: string;
}

/** A site's progress: entries and snapshots appended, and whether everything is in Valkey. */
export interface SiteReport {
  readonly type: 'progress' | 'done';
  readonly polls: number;
  readonly snapshots: number;
  /** Wall ms from the first append until everything appended was acknowledged by Valkey. */
  readonly elapsedMs: number;
}
