// The contract every sink implements (sinks/<name>/) and the rig-state shape they publish: the runtime
// hands each sink one batch per rig per tick; a sink queues it and never blocks or throws on an outage.

import type { RuptureEvent, ScoreTick } from './scores.ts';
import type { Snapshot } from './snapshot.ts';

/** Version of the published JSON shapes (RigState, Parquet schema); bumped on a breaking change. */
export const SCHEMA_VERSION = 1;

/** Latest state of one rig: the newest score of each of its devices (what `telemetry:last:{rig}` holds). */
export interface RigState {
  readonly schema: typeof SCHEMA_VERSION;
  readonly rig: string;
  /** Time of the newest score in `devices`, epoch ms. */
  readonly ts: number;
  /** Newest score per device, ordered by device name. */
  readonly devices: readonly ScoreTick[];
}

/** A control record (advice or action) for a rig; shaped by the control layer, carried as-is by sinks. */
export interface ControlRecord {
  readonly kind: 'advice' | 'action';
  readonly rig: string;
  /** Epoch ms. */
  readonly ts: number;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** What one tick produced for one rig. */
export interface RigTickBatch {
  readonly rig: string;
  /** Tick time, epoch ms. */
  readonly ts: number;
  /** Snapshots read this tick (fresh samples only; stale re-reads are not repeated). */
  readonly snapshots: readonly Snapshot[];
  /** Scores of this tick, one per device that had a fresh sample. */
  readonly scores: readonly ScoreTick[];
  /** Rupture events that closed this tick. */
  readonly events: readonly RuptureEvent[];
  /** The rig's state after this tick. */
  readonly state: RigState;
}

/** Health of a sink as shown by /healthz, `rigtune doctor` and the collector metrics. */
export interface SinkHealth {
  /** False while the destination is unreachable or failing (the sink is then spooling or dropping). */
  readonly ok: boolean;
  /** Batches accepted but not yet written. */
  readonly queued: number;
  /** Batches held on disk awaiting replay. */
  readonly spooled: number;
  /** Batches given up (counted, never silent); 0 for sinks that spool. */
  readonly dropped: number;
  readonly lastError: string | null;
}

export interface Sink {
  /** Component name, e.g. 'valkey', 'embedded', 'parquet', 'audit'. */
  readonly name: string;
  /** Accepts one rig's tick without blocking; an outage degrades (queue, spool), never throws. */
  write(batch: RigTickBatch): void;
  /** Accepts an advice or action record (control layer); same rules as `write`. */
  writeControl?(record: ControlRecord): void;
  /** Resolves once everything accepted so far is written or safely spooled. */
  flush(): Promise<void>;
  /** Flushes, then releases connections and files. Idempotent. */
  close(): Promise<void>;
  health(): SinkHealth;
}

/** Read side of the latest state, as the HTTP API sees it (the embedded store implements it). */
export interface StateReader {
  /** Rig names, sorted. */
  rigs(): readonly string[];
  /** Latest state of `rig`, or null when the rig has not been scored yet. */
  latest(rig: string): RigState | null;
  /** Latest advice and action records of `rig`, newest last (bounded). */
  control(rig: string): readonly ControlRecord[];
  /** Calls `listener` with every rig state published from now on; returns the unsubscribe function. */
  subscribe(listener: (state: RigState) => void): () => void;
}

/** A history query: one rig's records between two times (epoch ms, inclusive), optionally narrowed. */
export interface HistoryQuery {
  readonly rig: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** Columns wanted besides ts, rig, device; null = all. Unknown names are an error (RT_API_PARAM). */
  readonly fields: readonly string[] | null;
  readonly device?: string;
  /** Most rows returned (oldest first); the answer says when more matched. */
  readonly limit: number;
}

export interface HistoryResult {
  readonly rows: ReadonlyArray<Readonly<Record<string, string | number | null>>>;
  readonly truncated: boolean;
}

/** Read side of the history (Parquet files), as the HTTP API and the dashboard see it. */
export interface HistoryReader {
  /** Columns that may be asked for. */
  fields(): readonly string[];
  query(q: HistoryQuery): Promise<HistoryResult>;
}
