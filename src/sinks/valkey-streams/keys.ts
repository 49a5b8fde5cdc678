// Key names of the scale-out layout: partitioned snapshot streams and everything that must share their
// hash slot carry the hash tag `{p}`, so each partition lives on one Valkey Cluster slot.

/** The consumer group every scoring worker reads the partition streams through. */
export const WORKER_GROUP = 'rigtune-workers';

/** Key names under a data prefix (`telemetry`) and a coordination namespace (`rigtune`). */
export interface ScaleKeys {
  /** Stream of partition `p`: one entry per rig poll (entry.ts). Slot of tag `{p}`. */
  snapshots(p: number): string;
  /** Hash collector id → highest sequence appended to partition `p` (the append guard). Tag `{p}`. */
  collectorSeq(p: number): string;
  /** String: the lease of partition `p`, value = owning worker instance, PX = lease ttl. Tag `{p}`. */
  lease(p: number): string;
  /** Sorted set: live worker instances, score = expiry (server time, epoch ms). */
  readonly workers: string;
  /** Hash: rig settings hash → settings JSON (scorer options), written by collectors. */
  readonly rigConfig: string;
  /** String: the number of partitions every collector and worker must agree on. */
  readonly partitions: string;
}

/** Key names; `prefix` as the Valkey sink's `key_prefix`, `ns` for coordination keys. */
export function scaleKeys(prefix = 'telemetry', ns = 'rigtune'): ScaleKeys {
  return {
    snapshots: (p) => `${prefix}:snapshots:{${p}}`,
    collectorSeq: (p) => `${ns}:collector-seq:{${p}}`,
    lease: (p) => `${ns}:lease:{${p}}`,
    workers: `${ns}:workers`,
    rigConfig: `${ns}:rig-config`,
    partitions: `${ns}:partitions`,
  };
}
