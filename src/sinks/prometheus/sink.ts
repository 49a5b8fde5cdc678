// The Prometheus sink: write() keeps each device's latest score and snapshot (a map update, no I/O);
// render() produces the /metrics text in event-loop-friendly slices plus prom-client's registry.

import type { Clock } from '../../core/clock.ts';
import type { RigTickBatch, Sink, SinkHealth } from '../../core/sink.ts';
import { CollectorMetrics } from './collector.ts';
import { DeviceTable } from './device-table.ts';
import { renderFamilies, type YieldFn } from './exposition.ts';
import { DEVICE_FAMILIES } from './families.ts';
import type { PrometheusOptions } from './options.ts';

/** What the sink needs from the runtime. */
export interface PrometheusSinkDeps {
  /** Service clock: when a device was last seen (expiry). */
  readonly clock: Pick<Clock, 'nowMs'>;
  /** Monotonic ms for render slicing; default performance.now. */
  readonly monotonicMs?: () => number;
  /** How a render yields between slices; default one setImmediate turn. */
  readonly yieldNow?: YieldFn;
}

/** The answer to GET /metrics. */
export interface MetricsPage {
  readonly contentType: string;
  readonly body: string;
}

/** Devices are swept for expiry at most this often on write (always on render), ms. */
const SWEEP_EVERY_MS = 1000;

export class PrometheusSink implements Sink {
  readonly name = 'prometheus';
  readonly #o: PrometheusOptions;
  readonly #clock: Pick<Clock, 'nowMs'>;
  readonly #monotonicMs: () => number;
  readonly #yieldNow: YieldFn | undefined;
  readonly #table: DeviceTable;
  readonly #collector: CollectorMetrics;
  #lastSweepMs = Number.NEGATIVE_INFINITY;
  #dropped = 0;
  #closed = false;

  constructor(options: PrometheusOptions, deps: PrometheusSinkDeps) {
    this.#o = options;
    this.#clock = deps.clock;
    this.#monotonicMs = deps.monotonicMs ?? (() => performance.now());
    this.#yieldNow = deps.yieldNow;
    this.#table = new DeviceTable(options.max_devices, options.stale_after_ms);
    this.#collector = new CollectorMetrics(options.process_metrics);
  }

  /** Keeps the batch's scores and snapshots as their devices' latest; never blocks, never throws. */
  write(batch: RigTickBatch): void {
    if (this.#closed) return;
    const now = this.#clock.nowMs();
    if (now - this.#lastSweepMs >= SWEEP_EVERY_MS) this.#sweep(now);
    let refused = 0;
    for (const s of batch.snapshots)
      if (this.#table.update(s.rig, s.device, now, null, s) === 'refused') refused++;
    for (const s of batch.scores)
      if (this.#table.update(s.rig, s.device, now, s, null) === 'refused') refused++;
    if (refused > 0) {
      this.#dropped++;
      this.#collector.devicesRefused.inc(refused);
    }
  }

  /** Nothing is buffered: resolves at once. */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Forgets every device and metric; later writes are ignored. Idempotent. */
  close(): Promise<void> {
    this.#closed = true;
    this.#table.clear();
    this.#collector.registry.clear();
    return Promise.resolve();
  }

  /** Always ok (no destination to lose); `dropped` counts batches that had a device refused (max_devices). */
  health(): SinkHealth {
    return { ok: true, queued: 0, spooled: 0, dropped: this.#dropped, lastError: null };
  }

  /** Devices currently exported. */
  get devices(): number {
    return this.#table.size;
  }

  /**
   * The /metrics page: per-device families, then collector and process metrics. No synchronous
   * stretch is longer than about `render_slice_ms` plus one slice's final copy.
   */
  async render(): Promise<MetricsPage> {
    this.#sweep(this.#clock.nowMs());
    this.#collector.devices.set(this.#table.size);
    const devices = await renderFamilies(this.#table.rows(), DEVICE_FAMILIES, {
      sliceMs: this.#o.render_slice_ms,
      nowMs: this.#monotonicMs,
      yieldNow: this.#yieldNow,
    });
    const collector = await this.#collector.registry.metrics();
    return { contentType: this.#collector.registry.contentType, body: devices + collector };
  }

  /** Counts one poll of source `component` (e.g. 'source.cgminer'); a failure also by `errorType`. */
  recordSourcePoll(component: string, ok: boolean, errorType?: string): void {
    this.#collector.recordSourcePoll(component, ok, errorType);
  }

  /** Counts `count` batches handed to sink `component` (call it for every sink, this one included). */
  recordSinkBatches(component: string, count = 1): void {
    this.#collector.recordSinkBatches(component, count);
  }

  /** Publishes a sink's health: up, queue and spool lengths, and its drops as a counter. */
  recordSinkHealth(component: string, health: SinkHealth): void {
    this.#collector.recordSinkHealth(component, health);
  }

  /** Counts one operational event of `component` (e.g. 'source.cgminer') by its code (e.g. 'source_down'). */
  recordOpsEvent(component: string, code: string): void {
    this.#collector.recordOpsEvent(component, code);
  }

  /**
   * Sets `rigtune_advice_active{rig,kind}` to `counts` (the runtime lists every advising rig × kind,
   * zeros included); the previous figures are replaced, so rigs no longer listed disappear.
   */
  recordActiveAdvice(counts: readonly { rig: string; kind: string; count: number }[]): void {
    this.#collector.recordActiveAdvice(counts);
  }

  /** Observes how long a pipeline stage (observe, score, stream, tick) took, seconds. */
  recordStageDuration(stage: string, seconds: number): void {
    this.#collector.recordStageDuration(stage, seconds);
  }

  #sweep(now: number): void {
    this.#lastSweepMs = now;
    const n = this.#table.expire(now);
    if (n > 0) this.#collector.devicesExpired.inc(n);
  }
}
