// The nvidia-smi Source: keeps one `nvidia-smi --query-gpu … -lms N` child running, parses its rows as
// they stream, and hands them out two ways: poll() emits what arrived since the last poll, and
// subscribe() pushes every row as it is parsed. Restarts the child after it dies or stalls.

import { SourceError } from '../../core/errors.ts';
import type { DeviceInfo, Source, SourceContext } from '../../core/source.ts';
import {
  QUERY_FIELDS,
  type SmiExit,
  type SmiRow,
  SmiStream,
  type WallClockToEpoch,
  zoneConverter,
} from '../../protocols/nvidia-smi/index.ts';
import { emitResult, type MapResult, type SourceDeps } from '../common/index.ts';
import { mapSmiRow, unitMismatches } from './map.ts';
import type { NvidiaSmiOptions } from './options.ts';

/** Garbage lines logged per child run; further ones are only counted. */
const GARBAGE_WARNINGS = 10;
/** A newest sample further than this from the poll clock suggests a wrong `timezone`. */
const SKEW_WARN_MS = 15 * 60_000;

/** Counters of the stream, for health output and tests. */
export interface NvidiaSmiStats {
  readonly rows: number;
  readonly garbageLines: number;
  /** Samples dropped because a GPU's backlog was full (emit: all) or the row named no GPU. */
  readonly dropped: number;
  /** Child processes started. */
  readonly starts: number;
}

/** One child process and what it has done so far. */
interface Run {
  stream: SmiStream | null;
  rows: number;
  garbage: number;
  exit: SmiExit | null;
  spawnError: SourceError | null;
  distrusted: Set<string>;
  wake: () => void;
}

/** A Source reading GPUs through a streaming nvidia-smi child (kind 'nvidia-smi'); options validated. */
export class NvidiaSmiSource implements Source {
  readonly kind = 'nvidia-smi';
  readonly rig: string;
  /** Suggested poll interval, ms (the -lms period). */
  readonly intervalMs: number;
  readonly #options: NvidiaSmiOptions;
  readonly #deps: SourceDeps;
  readonly #toEpoch: WallClockToEpoch;
  readonly #stallMs: number;
  readonly #pending = new Map<string, MapResult[]>();
  readonly #devices = new Map<string, DeviceInfo>();
  readonly #listeners = new Set<(result: MapResult) => void>();
  readonly #warned = new Set<string>();
  #run: Run | null = null;
  #rowsAtLastPoll = 0;
  #lastProgressMs: number | null = null;
  #closed = false;
  #stats = { rows: 0, garbageLines: 0, dropped: 0, starts: 0 };

  constructor(options: NvidiaSmiOptions, deps: SourceDeps) {
    this.#options = options;
    this.#deps = deps;
    this.rig = deps.rig;
    this.intervalMs = options.interval_ms;
    this.#toEpoch = zoneConverter(options.timezone);
    this.#stallMs = options.stall_timeout_ms ?? Math.max(5000, 5 * options.interval_ms);
  }

  /** The fields queried: the H100 capture's list, with the configured clock-event field name. */
  get fields(): readonly string[] {
    return QUERY_FIELDS.map((f) => (f === 'clocks_event_reasons.active' ? this.#options.throttle_field : f));
  }

  #warn(message: string, where: { device?: string; line?: number } = {}): void {
    this.#deps.warn?.(message, { rig: this.rig, ...where });
  }

  /** Starts the child unless one is running (poll() does this itself). Spawn failures show at the next poll. */
  start(): void {
    if (this.#closed || this.#run) return;
    this.#stats.starts += 1;
    // The handlers only fire from later events, after `run.stream` is set below.
    const run: Run = {
      stream: null,
      rows: 0,
      garbage: 0,
      exit: null,
      spawnError: null,
      distrusted: new Set(),
      wake: () => {},
    };
    run.stream = new SmiStream(
      {
        command: this.#options.command,
        fields: this.fields,
        intervalMs: this.#options.interval_ms,
        gpus: this.#options.gpus,
        toEpoch: this.#toEpoch,
      },
      {
        onHeader: (columns) => {
          const bad = unitMismatches(columns);
          for (const c of bad) run.distrusted.add(c.slice(0, c.indexOf(' [')));
          if (bad.length > 0)
            this.#warn(
              `nvidia-smi header shows unexpected units, those columns are ignored: ${bad.join(', ')}.`,
            );
        },
        onRow: (row) => this.#onRow(run, row),
        onGarbage: (g) => {
          run.garbage += 1;
          this.#stats.garbageLines += 1;
          if (run.garbage <= GARBAGE_WARNINGS)
            this.#warn(`nvidia-smi line ${g.line} skipped: ${g.reason}: ${g.excerpt}`, { line: g.line });
          if (run.garbage === GARBAGE_WARNINGS)
            this.#warn('Further garbage lines from nvidia-smi are counted, not logged.');
        },
        onExit: (exit) => {
          run.exit = exit;
          run.wake();
        },
        onSpawnError: (err) => {
          run.spawnError = err;
          run.wake();
        },
      },
    );
    this.#run = run;
  }

  #onRow(run: Run, row: SmiRow): void {
    run.rows += 1;
    this.#stats.rows += 1;
    const result = row.ts === null ? null : mapSmiRow(row, this.rig, row.ts, run.distrusted);
    if (result === null) {
      this.#stats.dropped += 1; // no timestamp or no GPU named: nothing honest to emit
      run.wake();
      return;
    }
    const device = result.snapshots[0].device;
    const queue = this.#pending.get(device) ?? [];
    queue.push(result);
    const limit = this.#options.emit === 'latest' ? 1 : this.#options.max_backlog;
    while (queue.length > limit) {
      queue.shift();
      if (this.#options.emit === 'all') this.#stats.dropped += 1;
    }
    this.#pending.set(device, queue);
    for (const d of result.devices) this.#devices.set(d.device, d);
    for (const listener of this.#listeners) listener(result);
    run.wake();
  }

  /** Calls `listener` with every row as it is parsed (one snapshot each). Returns the unsubscribe. */
  subscribe(listener: (result: MapResult) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Process id of the running nvidia-smi child, if any (for probe output and diagnostics). */
  get pid(): number | undefined {
    return this.#run?.stream?.pid;
  }

  /** Counters since the source was created. */
  stats(): NvidiaSmiStats {
    return { ...this.#stats };
  }

  devices(): readonly DeviceInfo[] {
    return [...this.#devices.values()];
  }

  /**
   * Emits the samples that arrived since the last poll (the newest per GPU, or all with emit: all),
   * starting nvidia-smi on first use and waiting up to startup_timeout_ms for its first row. Throws
   * SourceError: 'unsupported' when it cannot be started or rejects a field, 'reset' when it exited
   * (the next poll restarts it), 'timeout' when it printed nothing in time or stalled.
   */
  async poll(ctx: SourceContext): Promise<void> {
    if (this.#closed) throw new SourceError('unsupported', 'Source nvidia-smi is closed', { rig: this.rig });
    if (!this.#run) {
      this.start();
      this.#lastProgressMs = ctx.clock.nowMs();
    }
    const run = this.#run!;
    if (run.rows === 0 && !run.exit && !run.spawnError) await this.#awaitFirstRow(run, ctx);
    if (run.spawnError) {
      this.#run = null;
      throw run.spawnError;
    }
    this.#drain(ctx);
    if (run.exit) {
      this.#run = null;
      throw this.#exitError(run.exit);
    }
    if (run.rows === 0) {
      await this.#restart(run);
      throw new SourceError(
        'timeout',
        `nvidia-smi printed no sample within ${this.#options.startup_timeout_ms} ms`,
        { rig: this.rig },
      );
    }
    const now = ctx.clock.nowMs();
    if (this.#stats.rows > this.#rowsAtLastPoll) {
      this.#rowsAtLastPoll = this.#stats.rows;
      this.#lastProgressMs = now;
    } else if (this.#lastProgressMs !== null && now - this.#lastProgressMs > this.#stallMs) {
      await this.#restart(run);
      throw new SourceError(
        'timeout',
        `nvidia-smi stalled: no sample for ${now - this.#lastProgressMs} ms; restarting it`,
        { rig: this.rig },
      );
    }
  }

  async #awaitFirstRow(run: Run, ctx: SourceContext): Promise<void> {
    const timer = new AbortController();
    const onAbort = () => timer.abort(ctx.signal.reason);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const arrived = new Promise<void>((resolve) => {
      run.wake = resolve;
    });
    // The sleep is cancelled once a row arrives; its rejection then means nothing.
    const slept = ctx.clock.sleep(this.#options.startup_timeout_ms, timer.signal).catch(() => {});
    try {
      await Promise.race([arrived, slept]);
    } finally {
      run.wake = () => {};
      timer.abort();
      ctx.signal.removeEventListener('abort', onAbort);
    }
    if (ctx.signal.aborted && run.rows === 0 && !run.exit && !run.spawnError)
      throw new SourceError('timeout', 'nvidia-smi poll aborted before the first sample', { rig: this.rig });
  }

  #drain(ctx: SourceContext): void {
    const results = [...this.#pending.values()].flat();
    this.#pending.clear();
    results.sort((a, b) => a.snapshots[0].ts - b.snapshots[0].ts);
    for (const r of results) emitResult(ctx, r);
    const newest = results.at(-1)?.snapshots[0].ts;
    if (
      newest !== undefined &&
      Math.abs(newest - ctx.clock.nowMs()) > SKEW_WARN_MS &&
      !this.#warned.has('skew')
    ) {
      this.#warned.add('skew');
      const hours = ((newest - ctx.clock.nowMs()) / 3_600_000).toFixed(1);
      this.#warn(
        `nvidia-smi timestamps differ from the clock by ${hours} h; check the timezone option (now ${this.#options.timezone}).`,
      );
    }
  }

  #exitError(exit: SmiExit): SourceError {
    const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
    const said = exit.stderr || exit.firstGarbage?.excerpt || '';
    const message = `nvidia-smi exited (${how})${said ? `: ${said}` : ''}`;
    // An unknown field is a setting problem, not a transient one (e.g. an old driver: throttle_field).
    if (/is not a valid field/i.test(said))
      return new SourceError(
        'unsupported',
        `${message}; for older drivers set throttle_field: clocks_throttle_reasons.active`,
        { rig: this.rig, command: this.#options.command },
      );
    return new SourceError('reset', message, { rig: this.rig, command: this.#options.command });
  }

  async #restart(run: Run): Promise<void> {
    this.#run = null;
    await run.stream?.close(this.#options.kill_grace_ms);
  }

  /** Stops nvidia-smi (SIGTERM, then SIGKILL after kill_grace_ms). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const run = this.#run;
    this.#run = null;
    this.#listeners.clear();
    await run?.stream?.close(this.#options.kill_grace_ms);
  }
}
