// Options and counters of a scoring worker (`rigtune worker`): lease timing, read sizes, rebuild depth;
// the counters feed its /metrics and the tests.

/** A worker's settings; times in ms. */
export interface WorkerOptions {
  /** Worker name (logs, metrics); the instance name adds a nonce so a restart is a new consumer. */
  readonly id: string;
  /** Partition count; null = the one in Valkey (`rigtune:partitions`), else 16 and stored there. */
  readonly partitions: number | null;
  readonly keyPrefix: string;
  readonly namespace: string;
  /** Lease time-to-live; renewed every third of it. Default 3000. */
  readonly leaseTtlMs: number;
  /** Entries per XREADGROUP. Default 256. */
  readonly readCount: number;
  /** XREADGROUP BLOCK; also bounds how fast a released partition is let go. Default 200. */
  readonly blockMs: number;
  /** Stream history replayed on takeover to rebuild windows, ms. Default 300000 (the 5 min share window). */
  readonly rebuildMs: number;
  /** Most entries replayed on takeover per partition. Default 200000. */
  readonly rebuildMaxEntries: number;
  /** MAXLEN ~ of the per-rig snapshot and event streams the results go to (as the valkey sink). Default 20000. */
  readonly streamMaxLen: number;
}

export const DEFAULT_WORKER_OPTIONS: Omit<WorkerOptions, 'id'> = {
  partitions: null,
  keyPrefix: 'telemetry',
  namespace: 'rigtune',
  leaseTtlMs: 3000,
  readCount: 256,
  blockMs: 200,
  rebuildMs: 300_000,
  rebuildMaxEntries: 200_000,
  streamMaxLen: 20_000,
};

/** Counters of a worker since start. */
export interface WorkerStats {
  /** Partition stream entries scored (rig polls). */
  entries: number;
  snapshots: number;
  scores: number;
  /** Samples the scorer refused (time going backwards). */
  rejected: number;
  /** Entries that are not rigtune entries (skipped). */
  badEntries: number;
  /** Entries refused by the per-rig sequence guard (a collector's resend). */
  duplicateEntries: number;
  /** Result stream records already present (results written again after a takeover). */
  duplicateRecords: number;
  statesStored: number;
  /** Advice records applied to `telemetry:advice:{rig}` (and published). */
  adviceApplied: number;
  /** Advice records the server refused as already applied (entries processed again after a takeover). */
  adviceSkipped: number;
  /** Partitions taken over (claim + rebuild done). */
  takeovers: number;
  /** Pending entries claimed from earlier owners. */
  claimed: number;
  rebuiltEntries: number;
  leasesAcquired: number;
  leasesReleased: number;
  leasesLost: number;
  failures: number;
}

export function emptyWorkerStats(): WorkerStats {
  return {
    entries: 0,
    snapshots: 0,
    scores: 0,
    rejected: 0,
    badEntries: 0,
    duplicateEntries: 0,
    duplicateRecords: 0,
    statesStored: 0,
    adviceApplied: 0,
    adviceSkipped: 0,
    takeovers: 0,
    claimed: 0,
    rebuiltEntries: 0,
    leasesAcquired: 0,
    leasesReleased: 0,
    leasesLost: 0,
    failures: 0,
  };
}
