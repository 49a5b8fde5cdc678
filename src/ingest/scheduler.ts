// The sampling scheduler: polls every registered source at its own cadence, bursts a rig's fast
// sources when asked, and shuts down within a deadline; per-source work lives in SourceRunner.

import { RigtuneError, SourceError } from '../core/errors.ts';
import { DeviceSeries } from '../telemetry/index.ts';
import { ReportLimiter } from './report-limiter.ts';
import { type RunnerEnv, SourceRunner } from './source-runner.ts';
import type { TimerHandle } from './timers.ts';
import type { DeviceStatus, IngestStats, SchedulerOptions, SourceRegistration } from './types.ts';

const DEFAULT_INTERVAL_MS = 1000;
const DEFAULT_BURST_INTERVAL_MS = 200;
const DEFAULT_BURST_DURATION_MS = 30_000;
const DEFAULT_SERIES_CAPACITY = 64;

function positive(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!(Number.isFinite(v) && v > 0))
    throw new RigtuneError('RT_CONFIG_INVALID', `${field} must be a positive number, got ${value}`, {
      field,
    });
  return v;
}

/** The source's own interval hint (`intervalMs`, e.g. MappedSource's), when it has a usable one. */
function hintedIntervalMs(reg: SourceRegistration): number | undefined {
  const hint = (reg.source as { readonly intervalMs?: unknown }).intervalMs;
  return typeof hint === 'number' && Number.isFinite(hint) && hint > 0 ? hint : undefined;
}

/**
 * Polls sources and turns their snapshots into per-device telemetry. Each source has its own timer,
 * so a slow or hung source delays nobody: its ticks are skipped (counted as overruns) until its poll
 * settles, and each poll is aborted at its timeout. See src/ingest/README.md.
 */
export class IngestScheduler {
  readonly #options: SchedulerOptions;
  readonly #env: RunnerEnv;
  readonly #runners: SourceRunner[] = [];
  readonly #ids = new Set<string>();
  readonly #defaultIntervalMs: number;
  readonly #burstDurationMs: number;
  readonly #stopDeadlineMs: number;
  readonly #capacity: number;
  #state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  #stopping: Promise<void> | null = null;

  /** Throws RT_CONFIG_INVALID for a non-positive interval, duration, factor or limit. */
  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#defaultIntervalMs = positive(options.defaultIntervalMs, DEFAULT_INTERVAL_MS, 'defaultIntervalMs');
    this.#burstDurationMs = positive(options.burstDurationMs, DEFAULT_BURST_DURATION_MS, 'burstDurationMs');
    this.#stopDeadlineMs = positive(options.stopDeadlineMs, 2000, 'stopDeadlineMs');
    const series = options.series;
    this.#capacity = series === false ? 0 : (series?.capacity ?? DEFAULT_SERIES_CAPACITY);
    const b = options.backoff ?? {};
    const windowMs = options.reportWindowMs ?? 10_000;
    if (!(Number.isFinite(windowMs) && windowMs >= 0))
      throw new RigtuneError('RT_CONFIG_INVALID', `reportWindowMs must be ≥ 0, got ${windowMs}`, {
        field: 'reportWindowMs',
      });
    this.#env = {
      clock: options.clock,
      timers: options.timers,
      limiter: new ReportLimiter(options.report, windowMs),
      onSamples: options.onSamples,
      onRaw: options.onRaw,
      onPoll: options.onPoll,
      burstIntervalMs: positive(options.burstIntervalMs, DEFAULT_BURST_INTERVAL_MS, 'burstIntervalMs'),
      backoffInitialMs: b.initialMs === undefined ? null : positive(b.initialMs, 1, 'backoff.initialMs'),
      backoffFactor: positive(b.factor, 2, 'backoff.factor'),
      backoffMaxMs: positive(b.maxMs, 60_000, 'backoff.maxMs'),
      staleAfterIntervals: positive(options.staleAfterIntervals, 3, 'staleAfterIntervals'),
      series: series === false ? false : { ...series, capacity: this.#capacity },
    };
    // Throws RT_KERNEL_ARGUMENT now for a bad capacity or time constant.
    if (this.#env.series !== false) new DeviceSeries(this.#env.series);
  }

  /**
   * Registers a source and returns its id. Sources added while running start polling at once.
   * Throws RT_CONFIG_INVALID for a bad interval or timeout, or once the scheduler is stopping.
   */
  add(reg: SourceRegistration): string {
    if (this.#state === 'stopping' || this.#state === 'stopped')
      throw new RigtuneError('RT_CONFIG_INVALID', 'cannot add a source to a stopped scheduler', {
        rig: reg.source.rig,
      });
    const intervalMs = positive(
      reg.intervalMs ?? hintedIntervalMs(reg),
      this.#defaultIntervalMs,
      'intervalMs',
    );
    const timeoutMs = positive(reg.timeoutMs, intervalMs, 'timeoutMs');
    const base = reg.id ?? `${reg.source.rig}/${reg.source.kind}`;
    let id = base;
    for (let n = 2; this.#ids.has(id); n++) id = `${base}#${n}`;
    this.#ids.add(id);
    const runner = new SourceRunner(
      { id, source: reg.source, intervalMs, fastCapable: reg.fastCapable ?? false, timeoutMs },
      this.#env,
    );
    this.#runners.push(runner);
    if (this.#state === 'running') runner.start();
    return id;
  }

  /** Starts polling: every source's first poll is due now. Idempotent while running. */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'running';
    for (const r of this.#runners) r.start();
  }

  /**
   * Polls the rig's fast-capable sources at the burst interval until `untilMs` (epoch ms; default
   * now + burstDurationMs); a later call extends, never shortens, a burst. Other sources keep their
   * cadence. Returns how many sources burst (0 for an unknown rig or one without fast sources).
   */
  burst(rig: string, untilMs?: number): number {
    if (this.#state !== 'running') return 0;
    const until = untilMs ?? this.#options.clock.nowMs() + this.#burstDurationMs;
    let n = 0;
    for (const r of this.#runners) if (r.config.source.rig === rig && r.burst(until)) n++;
    return n;
  }

  /**
   * Changes the burst interval of every fast source (a reload); bursts under way take it from their
   * next poll. Throws RT_CONFIG_INVALID for a non-positive interval.
   */
  setBurstIntervalMs(ms: number): void {
    this.#env.burstIntervalMs = positive(ms, ms, 'burstIntervalMs');
  }

  /**
   * Stops polling source `id` and closes it, as `stop()` does for all (its poll in flight is awaited
   * up to `stopDeadlineMs`, its samples still delivered); its devices and stats are forgotten and the
   * id is free again. Resolves false for an unknown id, or once stopping (stop() closes it); never
   * rejects.
   */
  async remove(id: string): Promise<boolean> {
    if (this.#stopping !== null) {
      await this.#stopping;
      return false;
    }
    const i = this.#runners.findIndex((r) => r.config.id === id);
    if (i < 0) return false;
    const [runner] = this.#runners.splice(i, 1);
    this.#ids.delete(id);
    await this.#retire([runner], 'Poll abandoned: its source was removed.');
    return true;
  }

  /**
   * Stops polling, waits up to `stopDeadlineMs` for polls in flight (their samples are still
   * delivered), aborts those still running, then closes every source (each within the deadline).
   * Never rejects; problems are reported as events. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#state = 'stopping';
    await this.#retire([...this.#runners], 'Poll abandoned at shutdown.');
    this.#state = 'stopped';
  }

  /** Halts `runners`, waits for (then abandons) their polls in flight, and closes their sources. */
  async #retire(runners: readonly SourceRunner[], abandonMsg: string): Promise<void> {
    const pending = runners.map((r) => r.halt()).filter((p): p is Promise<void> => p !== null);
    if (pending.length > 0 && (await this.#within(Promise.all(pending))) === 'late') {
      const reason = new SourceError('timeout', 'Scheduler stopped while the poll was running');
      for (const r of runners) if (r.abandon(reason)) this.#report(r, 'stop_deadline', abandonMsg);
    }
    await Promise.all(
      runners.map(async (r) => {
        try {
          const outcome = await this.#within(r.config.source.close());
          if (outcome === 'late')
            this.#report(r, 'close_failed', 'Source did not close within the deadline.');
        } catch (err) {
          this.#report(r, 'close_failed', 'Source failed to close.', err);
        }
      }),
    );
  }

  /** Resolves 'done' when `work` settles (rejecting as it does) or 'late' at the stop deadline. */
  #within(work: Promise<unknown>): Promise<'done' | 'late'> {
    const timers = this.#options.timers;
    let handle: TimerHandle = null;
    const deadline = new Promise<'late'>((resolve) => {
      handle = timers.set(() => resolve('late'), this.#stopDeadlineMs);
    });
    return Promise.race([work.then(() => 'done' as const), deadline]).finally(() => timers.clear(handle));
  }

  #report(r: SourceRunner, code: string, msg: string, err?: unknown): void {
    const s = r.config.source;
    const event = { code, level: 'warn' as const, msg, source: r.config.id, kind: s.kind, rig: s.rig, err };
    this.#env.limiter.emit(event, this.#options.clock.nowMs());
  }

  /** Counters per source and the freshness of every device read, as of now. */
  stats(): IngestStats {
    const now = this.#options.clock.nowMs();
    const devices: DeviceStatus[] = [];
    for (const r of this.#runners)
      for (const t of r.devices)
        devices.push({
          rig: t.rig,
          device: t.device,
          source: r.config.id,
          state: t.stateAt(now, r.staleLimitMs),
          lastFreshMs: t.lastFreshMs,
          lastSeenMs: t.lastSeenMs,
          samples: t.samples,
          buffered: Math.min(t.samples, this.#capacity),
        });
    return { running: this.#state === 'running', sources: this.#runners.map((r) => r.stats(now)), devices };
  }

  /** The telemetry series of a device (ring buffers, EMAs) as read by the first source that reads it. */
  series(rig: string, device: string): DeviceSeries | undefined {
    for (const r of this.#runners) {
      const t = r.device(rig, device);
      if (t !== undefined) return t.series ?? undefined;
    }
    return undefined;
  }
}
