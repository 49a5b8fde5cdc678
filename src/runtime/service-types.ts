// The Service's inputs and counters: cadences, what it is given (clock, timers, logger, sinks, metrics,
// the auto-tune journal and kill switch) and the loop's counters for /healthz and the demo's summary.

import type { Logger } from 'pino';
import type { AutotuneMode } from '../config/index.ts';
import type { JournalPort, KillSwitch } from '../control/autotune/index.ts';
import type { Clock } from '../core/clock.ts';
import type { Sink } from '../core/sink.ts';
import type { Timers } from '../ingest/index.ts';
import type { RuntimeMetrics } from './runtime-metrics.ts';

export interface ServiceSampling {
  readonly intervalMs: number;
  readonly burstIntervalMs: number;
  /** How long a burst lasts after the last suspicion, ms; 0 = no bursts. */
  readonly burstDurationMs: number;
}

export interface ServiceDeps {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  /** Every sink, the embedded store included; the first is given batches first. */
  readonly sinks: readonly Sink[];
  /** Collector health (the Prometheus sink); default none. */
  readonly metrics?: RuntimeMetrics;
  /**
   * How often sink health and batch counts go to `metrics` and expired advice is cleared, ms.
   * Default 1000.
   */
  readonly healthPeriodMs?: number;
  /**
   * A rig's autotune mode as changed at run time (the control API), or undefined for the configured
   * one (`ServiceRig.autotune`). Read every tick: a rig turned `off` has its advice cleared.
   */
  readonly autotuneMode?: (rig: string) => AutotuneMode | undefined;
  /** Monotonic ms for stage durations; default performance.now. */
  readonly monotonicMs?: () => number;
  /**
   * Auto-tune: the action journal (opened and closed by the caller) and the service's kill switch.
   * Without it rigs with an actuator are advised only (no controller is built).
   */
  readonly control?: { readonly journal: JournalPort; readonly killSwitch: KillSwitch };
}

/** Counters of the loop, for /healthz and `rigtune demo`'s summary. */
export interface ServiceStats {
  readonly batches: number;
  readonly scores: number;
  readonly events: number;
  readonly rejected: number;
  readonly bursts: number;
  /** Reconfigurations applied (SIGHUP reloads). */
  readonly reconfigures: number;
  /** Advice records emitted (raises, updates, clears), the advisory engine's and auto-tune's. */
  readonly advice: number;
  /** Action records emitted by auto-tune (every step of every action, refused manual requests). */
  readonly actions: number;
}
