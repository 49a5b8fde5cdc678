// Where the runtime records its own health (source polls, sink batches and health, stage durations,
// operational events): the Prometheus sink's collector API, or nothing when /metrics is off.

import type { SinkHealth } from '../core/sink.ts';

/**
 * The collector API of the Prometheus sink (sinks/prometheus), seen structurally so the service does
 * not depend on it. `component` is a logger binding (`source.cgminer`, `sink.valkey`).
 */
export interface RuntimeMetrics {
  /** One settled poll; `errorType` is the failure kind (connect, timeout, …) when not ok. */
  recordSourcePoll(component: string, ok: boolean, errorType?: string): void;
  /** `count` batches handed to a sink since the previous call. */
  recordSinkBatches(component: string, count: number): void;
  recordSinkHealth(component: string, health: SinkHealth): void;
  /** How long a stage took for one rig tick or poll, seconds (`observe`, `score`, `stream`). */
  recordStageDuration(stage: string, seconds: number): void;
  /** One operational event, logged or rate-limited. */
  recordOpsEvent(component: string, code: string): void;
  /**
   * The advice active now per rig and kind (every advising rig × every kind, zeros included); it
   * replaces the previous figures, so rigs no longer listed disappear. Optional for older collectors.
   */
  recordActiveAdvice?(counts: readonly ActiveAdviceCount[]): void;
}

/** Active advice of one rig and advice kind. */
export interface ActiveAdviceCount {
  readonly rig: string;
  readonly kind: string;
  readonly count: number;
}

/** Records nothing (no Prometheus sink configured). */
export const NO_METRICS: RuntimeMetrics = {
  recordSourcePoll: () => undefined,
  recordSinkBatches: () => undefined,
  recordSinkHealth: () => undefined,
  recordStageDuration: () => undefined,
  recordOpsEvent: () => undefined,
};
