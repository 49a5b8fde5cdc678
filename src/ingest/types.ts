// The ingest scheduler's contract: how a source is registered (cadence, burst capability, timeout),
// the scheduler's options, what it reports to the runtime and what `stats()` returns.

import type { Clock } from '../core/clock.ts';
import type { SourceErrorKind } from '../core/errors.ts';
import type { Snapshot } from '../core/snapshot.ts';
import type { Source } from '../core/source.ts';
import type { DeviceSeriesOptions } from '../telemetry/index.ts';
import type { Timers } from './timers.ts';

/** One source handed to the scheduler, with how it is polled. */
export interface SourceRegistration {
  readonly source: Source;
  /** Name in stats and events; default `<rig>/<kind>`, made unique with `#2`, `#3`… */
  readonly id?: string;
  /**
   * Normal poll interval, ms. Default: the source's own `intervalMs` hint (from its options) when it
   * has one, else the scheduler's `defaultIntervalMs` (1000 = 1 Hz).
   */
  readonly intervalMs?: number;
  /**
   * True when the source's values really change faster than 1 Hz (NVML power/clocks/throttle,
   * nvidia-smi, the simulator): only such sources are polled faster during a burst. Default false:
   * miner APIs refresh every 5–10 s and re-polling them faster yields only stale re-reads.
   */
  readonly fastCapable?: boolean;
  /** Time one poll may take before it is aborted and counted as a timeout, ms. Default: the interval. */
  readonly timeoutMs?: number;
}

/** Exponential backoff after transient failures (connect, timeout, reset). */
export interface BackoffOptions {
  /** First delay before the next poll after a transient failure, ms. Default: the source's interval. */
  readonly initialMs?: number;
  /** Growth per further consecutive failure. Default 2. */
  readonly factor?: number;
  /** Longest delay, ms; also the retry delay of an `unsupported` source. Default 60 000. */
  readonly maxMs?: number;
}

/** Options of an IngestScheduler. Times in ms. */
export interface SchedulerOptions {
  readonly clock: Clock;
  readonly timers: Timers;
  /**
   * Receives each completed poll's fresh samples, grouped per rig: one call per rig per poll, each
   * device's samples in time order. Stale re-reads are not delivered (see README). TelemetrySnapshots
   * (counter deltas, EMAs) unless `series` is false.
   */
  readonly onSamples: (rig: string, samples: readonly Snapshot[]) => void;
  /** Receives raw non-snapshot fields as the source reports them (audit trail). Default: dropped. */
  readonly onRaw?: (
    rig: string,
    device: string,
    field: string,
    value: string | number | boolean | null,
  ) => void;
  /** Receives operational events, rate-limited per (source, code, device) by `reportWindowMs`. */
  readonly report?: (event: IngestEvent) => void;
  /** Receives the outcome of every poll that settles (success, failure or timeout); never rate-limited. */
  readonly onPoll?: (outcome: PollOutcome) => void;
  /** At most one event per (source, code, device) per this window, ms; 0 = every event. Default 10 000. */
  readonly reportWindowMs?: number;
  /** Interval of a source without interval hint, ms. Default 1000 (1 Hz). */
  readonly defaultIntervalMs?: number;
  /** Interval of fast-capable sources during a burst, ms. Default 200 (5 Hz); 100 gives 10 Hz. */
  readonly burstIntervalMs?: number;
  /** Burst length when `burst(rig)` is given no end time, ms. Default 30 000. */
  readonly burstDurationMs?: number;
  readonly backoff?: BackoffOptions;
  /**
   * A device with no fresh sample for this many of its source's intervals is `stale` (re-read but
   * unchanged) or `missing` (no reading at all: source failing or device gone). Default 3.
   */
  readonly staleAfterIntervals?: number;
  /**
   * Options of each device's series (EMA time constants, counter gaps); capacity default 64. Samples
   * are then TelemetrySnapshots. `false`: no series, plain snapshots (time order and stale re-reads
   * are still checked) — for a consumer that derives its own, like the service's scorers.
   */
  readonly series?: DeviceSeriesOptions | false;
  /** How long `stop()` waits for in-flight polls (then aborts them) and for each `close()`, ms. Default 2000. */
  readonly stopDeadlineMs?: number;
}

/** Why a poll failed: a SourceError kind, or `internal` for anything else thrown (a bug). */
export type FailureKind = SourceErrorKind | 'internal';

/** An operational event for the runtime's logger and counters. */
export interface IngestEvent {
  /**
   * `RT_SOURCE_*` for a failed poll (the scheduler's own timeout is RT_SOURCE_TIMEOUT); otherwise
   * `poll_failed` (non-SourceError thrown), `poll_overrun`, `source_recovered`, `out_of_order`,
   * `device_stale`, `device_missing`, `device_fresh`, `close_failed`, `stop_deadline`.
   */
  readonly code: string;
  readonly level: 'info' | 'warn' | 'error';
  /** Constant, capitalised message ending with a period; variable data is in the other fields. */
  readonly msg: string;
  /** Source id. */
  readonly source: string;
  /** Source kind. */
  readonly kind: string;
  readonly rig: string;
  readonly device?: string;
  readonly err?: unknown;
  /** Events of the same (source, code, device) not reported since the previous report of it. */
  readonly suppressed: number;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** How one poll ended, for health metrics and up/down tracking. */
export interface PollOutcome {
  /** Source id. */
  readonly source: string;
  /** Source kind. */
  readonly kind: string;
  readonly rig: string;
  readonly ok: boolean;
  /** Why it failed; null when ok. */
  readonly errorKind: FailureKind | null;
  /** The error thrown (or the scheduler's timeout); null when ok. */
  readonly err: unknown;
  /** From the poll's start until it settled (or timed out), ms on the service clock. */
  readonly durationMs: number;
  /** Consecutive failures including this one; 0 when ok. */
  readonly failures: number;
}

/** Counters and state of one source. Counters only grow. */
export interface SourceStats {
  readonly id: string;
  readonly kind: string;
  readonly rig: string;
  /** Normal interval, ms. */
  readonly intervalMs: number;
  readonly fastCapable: boolean;
  /** Interval in use now, ms (the burst interval while bursting). */
  readonly currentIntervalMs: number;
  /** Burst end (epoch ms) while bursting, else null. */
  readonly burstUntilMs: number | null;
  /** Polls started. */
  readonly polls: number;
  /** Polls that completed without error before their timeout. */
  readonly successes: number;
  /** Failed polls by kind (a scheduler timeout counts under `timeout`). */
  readonly errors: Readonly<Record<FailureKind, number>>;
  /** Polls the scheduler aborted at their timeout (also in `errors.timeout`). */
  readonly timeouts: number;
  /** Cadence ticks skipped because the previous poll was still running. */
  readonly overruns: number;
  /** Fresh samples delivered. */
  readonly samples: number;
  /** Re-reads identical to the device's previous sample: not delivered. */
  readonly staleSamples: number;
  /** Samples dropped because their time did not move forward for their device. */
  readonly outOfOrder: number;
  readonly consecutiveFailures: number;
  /** Next poll not before this time (epoch ms) while backing off, else null. */
  readonly backoffUntilMs: number | null;
  readonly lastSuccessMs: number | null;
  readonly lastError: { readonly kind: FailureKind; readonly message: string; readonly atMs: number } | null;
}

/** `fresh`: a new sample within N intervals; `stale`: only unchanged re-reads; `missing`: nothing read. */
export type DeviceState = 'fresh' | 'stale' | 'missing';

/** One device's freshness. Times are epoch ms (clock time when the poll completed). */
export interface DeviceStatus {
  readonly rig: string;
  readonly device: string;
  readonly source: string;
  readonly state: DeviceState;
  /** Last fresh sample, or null if none yet. */
  readonly lastFreshMs: number | null;
  /** Last reading, fresh or stale. */
  readonly lastSeenMs: number | null;
  /** Fresh samples delivered. */
  readonly samples: number;
  /** Samples held in the device's ring buffers (≤ the series capacity). */
  readonly buffered: number;
}

/** What `stats()` returns. */
export interface IngestStats {
  readonly running: boolean;
  readonly sources: readonly SourceStats[];
  readonly devices: readonly DeviceStatus[];
}
