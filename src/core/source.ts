// The contract every telemetry source implements (sources/<name>/): read a rig, emit snapshots.
// The runtime wraps each source with cadence, timeouts, health counters and rate-limited logs.

import type { Clock } from './clock.ts';
import type { Snapshot } from './snapshot.ts';

/** What a source is handed for one poll. */
export interface SourceContext {
  readonly clock: Clock;
  /** Aborted when the poll times out or the service shuts down; sources pass it to their I/O. */
  readonly signal: AbortSignal;
  /** Receives each snapshot read (one per device, plus a rig total where the source has one). */
  emit(snapshot: Snapshot): void;
  /**
   * Records a value the source read but that is not a snapshot field (a miner's own reject %,
   * firmware version, P-state): kept as raw fields for the audit trail, never used for scoring.
   */
  raw?(device: string, field: string, value: string | number | boolean | null): void;
}

/** Facts about a device learned while reading (model, firmware, PCI bus id), for probe output and joins. */
export interface DeviceInfo {
  readonly device: string;
  readonly model?: string;
  readonly firmware?: string;
  readonly pci_bus_id?: string;
  readonly uuid?: string;
}

export interface Source {
  /** Component kind, e.g. 'cgminer', 'nvml', 'xmrig'. */
  readonly kind: string;
  /** Rig name the snapshots carry. */
  readonly rig: string;
  /**
   * Reads once and emits the snapshots. Fails by throwing `SourceError` (core/errors.ts) (its `kind` and `transient`
   * decide retry and backoff); a device whose value is unknown emits null, never a made-up number.
   */
  poll(ctx: SourceContext): Promise<void>;
  /** Devices seen by the latest successful poll. */
  devices?(): readonly DeviceInfo[];
  /** Releases sockets, child processes, libraries. Idempotent. */
  close(): Promise<void>;
}
