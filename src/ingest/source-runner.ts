// One source under the scheduler: its own cadence timer, burst window, per-poll timeout and abort,
// overrun skipping, backoff after transient failures, counters, and the devices it has read.

import type { Clock } from '../core/clock.ts';
import { SourceError } from '../core/errors.ts';
import type { Snapshot } from '../core/snapshot.ts';
import type { Source, SourceContext } from '../core/source.ts';
import type { DeviceSeriesOptions } from '../telemetry/index.ts';
import { backoffDelayMs, FAILURE_KINDS } from './backoff.ts';
import { DeviceSet } from './device-set.ts';
import type { DeviceTrack } from './device-track.ts';
import type { ReportLimiter } from './report-limiter.ts';
import type { TimerHandle, Timers } from './timers.ts';
import type { FailureKind, IngestEvent, SchedulerOptions, SourceStats } from './types.ts';

/** What every runner shares with the scheduler (options resolved to numbers). */
export interface RunnerEnv {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly limiter: ReportLimiter;
  readonly onSamples: SchedulerOptions['onSamples'];
  readonly onRaw: SchedulerOptions['onRaw'];
  readonly onPoll: SchedulerOptions['onPoll'];
  /** Changed live by the scheduler's `setBurstIntervalMs`. */
  burstIntervalMs: number;
  readonly backoffInitialMs: number | null;
  readonly backoffFactor: number;
  readonly backoffMaxMs: number;
  readonly staleAfterIntervals: number;
  readonly series: DeviceSeriesOptions | false;
}

/** How one source is run (registration resolved). */
export interface RunnerConfig {
  readonly id: string;
  readonly source: Source;
  readonly intervalMs: number;
  readonly fastCapable: boolean;
  readonly timeoutMs: number;
}

/** A poll in progress: settles once, by completion, failure, timeout or shutdown, whichever is first. */
interface Poll {
  readonly controller: AbortController;
  readonly startedMs: number;
  readonly emitted: Snapshot[];
  settled: boolean;
  timer: TimerHandle | null;
}

export class SourceRunner {
  readonly config: RunnerConfig;
  readonly #env: RunnerEnv;
  readonly #devices: DeviceSet;
  #timer: TimerHandle | null = null;
  #dueMs = Number.NaN;
  #poll: Poll | null = null;
  #inFlight: Promise<void> | null = null;
  #stopped = false;
  #burstUntilMs: number | null = null;
  #backoffUntilMs: number | null = null;
  #consecutiveFailures = 0;
  #lastSuccessMs: number | null = null;
  #lastError: SourceStats['lastError'] = null;
  readonly #errors = Object.fromEntries(FAILURE_KINDS.map((k) => [k, 0])) as Record<FailureKind, number>;
  readonly #count = { polls: 0, successes: 0, timeouts: 0, overruns: 0, samples: 0, stale: 0, outOfOrder: 0 };

  constructor(config: RunnerConfig, env: RunnerEnv) {
    this.config = config;
    this.#env = env;
    this.#devices = new DeviceSet(env.series);
  }

  /** Devices read so far. */
  get devices(): Iterable<DeviceTrack> {
    return this.#devices.values();
  }

  /** The device's track, or undefined if never read. */
  device(rig: string, device: string): DeviceTrack | undefined {
    return this.#devices.get(rig, device);
  }

  /** Freshness limit of this source's devices, ms. */
  get staleLimitMs(): number {
    return this.#env.staleAfterIntervals * this.config.intervalMs;
  }

  /** Arms the first poll `delayMs` from now. */
  start(delayMs = 0): void {
    if (this.#stopped) return;
    this.#arm(this.#env.clock.nowMs() + delayMs);
  }

  /** Polls faster until `untilMs` (epoch ms) if fast-capable; returns whether it bursts. */
  burst(untilMs: number): boolean {
    if (!this.config.fastCapable || this.#stopped) return false;
    const now = this.#env.clock.nowMs();
    if (!(untilMs > now)) return false;
    this.#burstUntilMs = Math.max(this.#burstUntilMs ?? untilMs, untilMs);
    const due = Math.max(now + this.#env.burstIntervalMs, this.#backoffUntilMs ?? now);
    if (this.#timer !== null && due < this.#dueMs) this.#arm(due);
    return true;
  }

  /** Stops arming polls; the in-flight poll (if any) goes on. Returns it, settled or not. */
  halt(): Promise<void> | null {
    this.#stopped = true;
    if (this.#timer !== null) this.#env.timers.clear(this.#timer);
    this.#timer = null;
    return this.#inFlight;
  }

  /** Aborts the in-flight poll for shutdown; whatever it emits later is dropped. */
  abandon(reason: unknown): boolean {
    const poll = this.#poll;
    if (poll === null || poll.settled) return false;
    this.#finish(poll);
    poll.controller.abort(reason);
    return true;
  }

  #interval(now: number): number {
    if (this.#burstUntilMs !== null && now >= this.#burstUntilMs) this.#burstUntilMs = null;
    return this.#burstUntilMs !== null ? this.#env.burstIntervalMs : this.config.intervalMs;
  }

  #arm(dueMs: number): void {
    if (this.#stopped) return;
    if (this.#timer !== null) this.#env.timers.clear(this.#timer);
    this.#dueMs = dueMs;
    this.#timer = this.#env.timers.set(() => this.#tick(), dueMs - this.#env.clock.nowMs());
  }

  #tick(): void {
    this.#timer = null;
    if (this.#stopped) return;
    const now = this.#env.clock.nowMs();
    this.#refreshDevices(now);
    if (this.#inFlight !== null) {
      this.#count.overruns++;
      this.#event(
        'poll_overrun',
        'warn',
        'Poll skipped: the previous poll of this source is still running.',
        now,
      );
    } else {
      this.#startPoll();
    }
    // Fixed rate: the next tick keeps the schedule; ticks already missed are skipped, not made up.
    const interval = this.#interval(now);
    let due = this.#dueMs + interval;
    if (!(due > now)) due = now + interval;
    if (this.#timer === null) this.#arm(Math.max(due, this.#backoffUntilMs ?? due));
  }

  #startPoll(): void {
    const env = this.#env;
    const startedMs = env.clock.nowMs();
    const poll: Poll = {
      controller: new AbortController(),
      startedMs,
      emitted: [],
      settled: false,
      timer: null,
    };
    const src = this.config.source;
    const ctx: SourceContext = {
      clock: env.clock,
      signal: poll.controller.signal,
      emit: (s) => {
        if (!poll.settled) poll.emitted.push(s);
      },
      raw: (device, field, value) => {
        if (!poll.settled) env.onRaw?.(src.rig, device, field, value);
      },
    };
    this.#count.polls++;
    this.#poll = poll;
    poll.timer = env.timers.set(() => this.#onTimeout(poll), this.config.timeoutMs);
    let pending: Promise<void>;
    try {
      pending = Promise.resolve(src.poll(ctx));
    } catch (err) {
      pending = Promise.reject(err); // a source that throws synchronously fails like one that rejects
    }
    const done = pending.then(
      () => this.#onDone(poll, null),
      (err: unknown) => this.#onDone(poll, err),
    );
    // Cleared only when the source's own promise settles, so a hung source is never polled twice.
    const clear = () => {
      if (this.#poll === poll) this.#poll = null;
      this.#inFlight = null;
    };
    this.#inFlight = done.then(clear, (err: unknown) => {
      clear();
      const msg = 'Scheduler failed while handling a poll.';
      this.#event('poll_failed', 'error', msg, this.#env.clock.nowMs(), { err });
    });
  }

  #finish(poll: Poll): void {
    poll.settled = true;
    if (poll.timer !== null) this.#env.timers.clear(poll.timer);
    poll.timer = null;
  }

  #onTimeout(poll: Poll): void {
    poll.timer = null;
    if (poll.settled) return;
    const ms = this.config.timeoutMs;
    const err = new SourceError('timeout', `Poll did not finish within ${ms} ms`, {
      rig: this.config.source.rig,
    });
    const emitted = poll.emitted;
    this.#finish(poll);
    poll.controller.abort(err);
    this.#count.timeouts++;
    this.#deliver(emitted);
    this.#failed(err, poll.startedMs);
  }

  #onDone(poll: Poll, err: unknown): void {
    if (poll.settled) return; // timed out or abandoned: the late outcome is not counted twice
    this.#finish(poll);
    // Snapshots emitted before a failure are real readings: they are delivered all the same.
    this.#deliver(poll.emitted);
    if (err === null) this.#succeeded(poll.startedMs);
    else this.#failed(err, poll.startedMs);
  }

  #succeeded(startedMs: number): void {
    const now = this.#env.clock.nowMs();
    this.#count.successes++;
    this.#lastSuccessMs = now;
    if (this.#consecutiveFailures > 0) {
      const fields = { failures: this.#consecutiveFailures };
      this.#event('source_recovered', 'info', 'Source answers again.', now, { fields });
    }
    this.#consecutiveFailures = 0;
    this.#backoffUntilMs = null;
    this.#outcome(now, startedMs, null, null);
  }

  #failed(err: unknown, startedMs: number): void {
    const now = this.#env.clock.nowMs();
    const kind: FailureKind = err instanceof SourceError ? err.kind : 'internal';
    this.#errors[kind]++;
    this.#consecutiveFailures++;
    this.#outcome(now, startedMs, kind, err);
    this.#lastError = { kind, message: err instanceof Error ? err.message : String(err), atMs: now };
    const env = this.#env;
    const delay = backoffDelayMs(kind, this.#consecutiveFailures, {
      initialMs: env.backoffInitialMs ?? this.config.intervalMs,
      factor: env.backoffFactor,
      maxMs: env.backoffMaxMs,
    });
    if (delay !== null) {
      this.#backoffUntilMs = now + delay;
      if (this.#timer !== null && this.#dueMs < this.#backoffUntilMs) this.#arm(this.#backoffUntilMs);
    }
    const code = err instanceof SourceError ? err.code : 'poll_failed';
    const level = kind === 'internal' ? 'error' : 'warn';
    const msg = kind === 'internal' ? 'Poll failed unexpectedly.' : 'Poll failed.';
    const fields = { error_kind: kind, failures: this.#consecutiveFailures, backoff_ms: delay };
    this.#event(code, level, msg, now, { err, fields });
    this.#refreshDevices(now);
  }

  /** Tells `onPoll` how the poll ended (called once the failure count is up to date). */
  #outcome(now: number, startedMs: number, errorKind: FailureKind | null, err: unknown): void {
    const { id, source } = this.config;
    const failures = this.#consecutiveFailures;
    const outcome = { source: id, kind: source.kind, rig: source.rig, ok: errorKind === null, errorKind };
    try {
      this.#env.onPoll?.({ ...outcome, err, failures, durationMs: now - startedMs });
    } catch (error) {
      // A failing listener must not stop this source's cadence; it is reported, not swallowed.
      this.#event('on_poll_failed', 'error', 'Poll outcome listener failed.', now, { err: error });
    }
  }

  #deliver(emitted: readonly Snapshot[]): void {
    if (emitted.length === 0) return;
    const now = this.#env.clock.nowMs();
    const batch = this.#devices.accept(emitted, now);
    this.#count.samples += batch.fresh;
    this.#count.stale += batch.stale;
    this.#count.outOfOrder += batch.outOfOrder.length;
    for (const { device, error } of batch.outOfOrder)
      this.#event('out_of_order', 'warn', 'Sample dropped: its time does not move forward.', now, {
        device,
        err: error,
      });
    this.#refreshDevices(now);
    for (const [rig, samples] of batch.byRig) {
      try {
        this.#env.onSamples(rig, samples);
      } catch (err) {
        // The consumer's failure must not stop this source's cadence; it is reported, not swallowed.
        this.#event('on_samples_failed', 'error', 'Sample consumer failed.', now, { err });
      }
    }
  }

  #refreshDevices(now: number): void {
    const limit = this.staleLimitMs;
    for (const { track: t, state, msg } of this.#devices.refresh(now, limit)) {
      const fields = { last_fresh_ms: t.lastFreshMs, last_seen_ms: t.lastSeenMs, limit_ms: limit };
      const level = state === 'fresh' ? 'info' : 'warn';
      this.#event(`device_${state}`, level, msg, now, { device: t.device, fields });
    }
  }

  #event(
    code: string,
    level: IngestEvent['level'],
    msg: string,
    now: number,
    extra: { device?: string; err?: unknown; fields?: Record<string, unknown> } = {},
  ): void {
    const { id, source } = this.config;
    this.#env.limiter.emit(
      { code, level, msg, source: id, kind: source.kind, rig: source.rig, ...extra },
      now,
    );
  }

  stats(now: number): SourceStats {
    const c = this.config;
    const bursting = this.#burstUntilMs !== null && now < this.#burstUntilMs;
    return {
      id: c.id,
      kind: c.source.kind,
      rig: c.source.rig,
      intervalMs: c.intervalMs,
      fastCapable: c.fastCapable,
      currentIntervalMs: bursting ? this.#env.burstIntervalMs : c.intervalMs,
      burstUntilMs: bursting ? this.#burstUntilMs : null,
      polls: this.#count.polls,
      successes: this.#count.successes,
      errors: { ...this.#errors },
      timeouts: this.#count.timeouts,
      overruns: this.#count.overruns,
      samples: this.#count.samples,
      staleSamples: this.#count.stale,
      outOfOrder: this.#count.outOfOrder,
      consecutiveFailures: this.#consecutiveFailures,
      backoffUntilMs:
        this.#backoffUntilMs !== null && this.#backoffUntilMs > now ? this.#backoffUntilMs : null,
      lastSuccessMs: this.#lastSuccessMs,
      lastError: this.#lastError,
    };
  }
}
