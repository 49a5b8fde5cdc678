// Collector health metrics (source polls and errors, sink batches, queues, spools, drops, stage
// durations, tracked devices, active advice) and the standard process metrics, in a prom-client registry.

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { SinkHealth } from '../../core/sink.ts';

/** Distinct values one label may take before further ones are folded into `other`. */
export const MAX_LABEL_VALUES = 256;
/** Distinct rigs of the advice gauge before further ones are folded into `other`. */
export const MAX_ADVICE_RIGS = 4096;
const COMPONENT = /^[A-Za-z0-9_.:-]{1,64}$/;
const ERROR_TYPE = /^[a-z0-9_]{1,32}$/;
/** An operational event code: an RT_… error code or a snake_case event name. */
const EVENT_CODE = /^[A-Za-z0-9_]{1,64}$/;

/** Keeps a label's cardinality bounded: malformed values and values past the cap become `other`. */
class LabelGuard {
  readonly #seen = new Set<string>();
  readonly #pattern: RegExp;
  readonly #max: number;

  constructor(pattern: RegExp, max = MAX_LABEL_VALUES) {
    this.#pattern = pattern;
    this.#max = max;
  }

  pass(value: string): string {
    if (this.#seen.has(value)) return value;
    if (!this.#pattern.test(value) || this.#seen.size >= this.#max) return 'other';
    this.#seen.add(value);
    return value;
  }
}

export class CollectorMetrics {
  readonly registry = new Registry();
  readonly #components = new LabelGuard(COMPONENT);
  readonly #errorTypes = new LabelGuard(ERROR_TYPE);
  readonly #stages = new LabelGuard(ERROR_TYPE);
  readonly #codes = new LabelGuard(EVENT_CODE);
  readonly #adviceRigs = new LabelGuard(COMPONENT, MAX_ADVICE_RIGS);
  readonly #adviceKinds = new LabelGuard(ERROR_TYPE);
  readonly #lastDropped = new Map<string, number>();
  readonly #polls: Counter<'component'>;
  readonly #pollErrors: Counter<'component' | 'error_type'>;
  readonly #batches: Counter<'component'>;
  readonly #up: Gauge<'component'>;
  readonly #queued: Gauge<'component'>;
  readonly #spooled: Gauge<'component'>;
  readonly #dropped: Counter<'component'>;
  readonly #stage: Histogram<'stage'>;
  readonly #ops: Counter<'component' | 'code'>;
  readonly #advice: Gauge<'rig' | 'kind'>;
  readonly devices: Gauge;
  readonly devicesExpired: Counter;
  readonly devicesRefused: Counter;

  constructor(processMetrics: boolean) {
    const registers = [this.registry];
    this.#polls = new Counter({
      name: 'rigtune_source_polls_total',
      help: 'Source polls, successful or not.',
      labelNames: ['component'],
      registers,
    });
    this.#pollErrors = new Counter({
      name: 'rigtune_source_errors_total',
      help: 'Failed source polls by error type (connect, timeout, reset, protocol, status, unsupported).',
      labelNames: ['component', 'error_type'],
      registers,
    });
    this.#batches = new Counter({
      name: 'rigtune_sink_batches_total',
      help: 'Rig tick batches handed to a sink.',
      labelNames: ['component'],
      registers,
    });
    this.#up = new Gauge({
      name: 'rigtune_sink_up',
      help: '1 while the sink reaches its destination, 0 while it spools or drops.',
      labelNames: ['component'],
      registers,
    });
    this.#queued = new Gauge({
      name: 'rigtune_sink_queue_length',
      help: 'Items accepted by a sink and not yet written.',
      labelNames: ['component'],
      registers,
    });
    this.#spooled = new Gauge({
      name: 'rigtune_sink_spool_length',
      help: 'Batches held on disk by a sink awaiting replay.',
      labelNames: ['component'],
      registers,
    });
    this.#dropped = new Counter({
      name: 'rigtune_sink_dropped_total',
      help: 'Items a sink gave up (counted, never silent).',
      labelNames: ['component'],
      registers,
    });
    this.#stage = new Histogram({
      name: 'rigtune_stage_duration_seconds',
      help: 'Duration of a pipeline stage for one tick, seconds.',
      labelNames: ['stage'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#ops = new Counter({
      name: 'rigtune_ops_events_total',
      help: 'Operational events (source down or up, poll failures, sink failures, reloads), logged or rate-limited.',
      labelNames: ['component', 'code'],
      registers,
    });
    this.#advice = new Gauge({
      name: 'rigtune_advice_active',
      help: 'Advice active now, per rig and advice kind (0 for an advising rig without that advice).',
      labelNames: ['rig', 'kind'],
      registers,
    });
    this.devices = new Gauge({
      name: 'rigtune_exporter_devices',
      help: 'Devices with series on /metrics.',
      registers,
    });
    this.devicesExpired = new Counter({
      name: 'rigtune_exporter_devices_expired_total',
      help: 'Devices whose series were removed after not being seen for stale_after_ms.',
      registers,
    });
    this.devicesRefused = new Counter({
      name: 'rigtune_exporter_devices_refused_total',
      help: 'Device updates refused because max_devices devices were already tracked.',
      registers,
    });
    if (processMetrics) {
      collectDefaultMetrics({ register: this.registry });
      // prom-client's nodejs_active_{handles,requests,resources}_total are gauges named like counters
      // (promtool rejects them); the per-type nodejs_active_* gauges carry the same figures.
      for (const m of this.registry.getMetricsAsArray())
        if (m.name.endsWith('_total') && !(m instanceof Counter)) this.registry.removeSingleMetric(m.name);
    }
  }

  recordSourcePoll(component: string, ok: boolean, errorType?: string): void {
    const c = this.#components.pass(component);
    this.#polls.inc({ component: c });
    if (!ok)
      this.#pollErrors.inc({ component: c, error_type: this.#errorTypes.pass(errorType ?? 'unknown') });
  }

  recordSinkBatches(component: string, count: number): void {
    if (count > 0) this.#batches.inc({ component: this.#components.pass(component) }, count);
  }

  recordSinkHealth(component: string, health: SinkHealth): void {
    const c = this.#components.pass(component);
    this.#up.set({ component: c }, health.ok ? 1 : 0);
    this.#queued.set({ component: c }, health.queued);
    this.#spooled.set({ component: c }, health.spooled);
    const last = this.#lastDropped.get(c) ?? 0;
    // A smaller figure means the sink was rebuilt (reload): its count started again from zero.
    const delta = health.dropped >= last ? health.dropped - last : health.dropped;
    this.#lastDropped.set(c, health.dropped);
    this.#dropped.inc({ component: c }, delta);
  }

  recordOpsEvent(component: string, code: string): void {
    this.#ops.inc({ component: this.#components.pass(component), code: this.#codes.pass(code) });
  }

  /** Replaces the advice gauge with `counts` (rigs not listed disappear; `other` sums the overflow). */
  recordActiveAdvice(counts: readonly { rig: string; kind: string; count: number }[]): void {
    const sums = new Map<string, { rig: string; kind: string; count: number }>();
    for (const c of counts) {
      const rig = this.#adviceRigs.pass(c.rig);
      const kind = this.#adviceKinds.pass(c.kind);
      const key = `${rig}\u0000${kind}`;
      const sum = sums.get(key);
      if (sum === undefined) sums.set(key, { rig, kind, count: c.count });
      else sum.count += c.count;
    }
    this.#advice.reset();
    for (const { rig, kind, count } of sums.values()) this.#advice.set({ rig, kind }, count);
  }

  recordStageDuration(stage: string, seconds: number): void {
    if (Number.isFinite(seconds) && seconds >= 0)
      this.#stage.observe({ stage: this.#stages.pass(stage) }, seconds);
  }
}
