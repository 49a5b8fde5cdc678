// A real Source whose polls follow a script (values, failures, hangs, delays on the given clock), for
// tests of whatever schedules sources (ingest, runtime): no mocks of the scheduler's internals.

import type { Snapshot, SnapshotValues } from '../../src/core/snapshot.ts';
import { emptySnapshot } from '../../src/core/snapshot.ts';
import type { Source, SourceContext } from '../../src/core/source.ts';

/** What poll number `n` (0-based) does. */
export type PollStep =
  /** Emits one snapshot per device with these values (ts = clock time). */
  | { readonly values: Partial<SnapshotValues>; readonly devices?: readonly string[] }
  /** Throws this error. */
  | { readonly fail: unknown }
  /** Never settles, and ignores the abort signal. */
  | { readonly hang: true }
  /** Waits `ms` on the context clock (rejecting on abort), then emits `values`. */
  | { readonly delayMs: number; readonly values: Partial<SnapshotValues> };

/** A Source driven by `script(n, ctx)`; records polls, signals and close calls. */
export class ScriptedSource implements Source {
  readonly kind: string;
  readonly rig: string;
  readonly devicesRead: readonly string[];
  /** Interval hint, as MappedSource has one; undefined = none. */
  readonly intervalMs: number | undefined;
  readonly #script: (n: number, ctx: SourceContext) => PollStep;
  /** Clock time of each poll's start. */
  readonly pollTimes: number[] = [];
  /** The signal of each poll. */
  readonly signals: AbortSignal[] = [];
  closeCalls = 0;

  constructor(
    kind: string,
    rig: string,
    script: (n: number, ctx: SourceContext) => PollStep,
    options: { devices?: readonly string[]; intervalMs?: number } = {},
  ) {
    this.kind = kind;
    this.rig = rig;
    this.#script = script;
    this.devicesRead = options.devices ?? ['gpu0'];
    this.intervalMs = options.intervalMs;
  }

  get polls(): number {
    return this.pollTimes.length;
  }

  async poll(ctx: SourceContext): Promise<void> {
    const n = this.pollTimes.length;
    this.pollTimes.push(ctx.clock.nowMs());
    this.signals.push(ctx.signal);
    const step = this.#script(n, ctx);
    if ('fail' in step) throw step.fail;
    if ('hang' in step) return new Promise<void>(() => {});
    if ('delayMs' in step) await ctx.clock.sleep(step.delayMs, ctx.signal);
    const devices = 'devices' in step && step.devices !== undefined ? step.devices : this.devicesRead;
    for (const d of devices) ctx.emit(snapshotOf(ctx.clock.nowMs(), this.rig, d, step.values));
  }

  async close(): Promise<void> {
    this.closeCalls++;
  }
}

/** A snapshot with the given values, the rest null. */
export function snapshotOf(
  ts: number,
  rig: string,
  device: string,
  values: Partial<SnapshotValues>,
): Snapshot {
  return { ...emptySnapshot(ts, rig, device), ...values };
}
