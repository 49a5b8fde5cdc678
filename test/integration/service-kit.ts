// Shared pieces of the service-level integration tests: a fleet source whose every reading follows
// from (rig, device, poll), a sink that records what the service handed out, and the service builder.

import pino from 'pino';
import { type ApiDeps, createApi } from '../../src/api/index.ts';
import type { RigTickBatch, Sink, SinkHealth } from '../../src/core/sink.ts';
import type { Snapshot } from '../../src/core/snapshot.ts';
import type { Source, SourceContext } from '../../src/core/source.ts';
import { Service } from '../../src/runtime/service.ts';
import { snapshotOf } from '../fakes/scripted-source.ts';
import { FakeClock } from '../helpers/fake-clock.ts';

/** Start of every run: 2026-03-01T10:00:00Z (well inside one UTC date). */
export const T0 = Date.UTC(2026, 2, 1, 10);
/** Poll interval of every source, ms. */
export const INTERVAL_MS = 1000;

/** Power of device `d` at poll `n`, W (changes every poll, so no reading is a stale re-read). */
export function powerAt(n: number, d: number): number {
  return 180 + 10 * d + (n % 13) * 0.5;
}

/** Reading of device `<prefix><d>` of a rig at poll `n`. */
export function readingAt(ts: number, rig: string, d: number, n: number, prefix = 'gpu'): Snapshot {
  return snapshotOf(ts, rig, `${prefix}${d}`, {
    power_w: powerAt(n, d),
    temp_core_c: 55 + d + (n % 3),
    hashrate_5s: 1e8 + 1e6 * d + n,
    accepted_shares: 3 * n,
  });
}

/** A real Source of one rig with `devices` devices: poll `n` emits `readingAt(now, rig, d, n, prefix)` each. */
export class FleetSource implements Source {
  readonly kind = 'fleet';
  readonly rig: string;
  readonly #devices: number;
  readonly #prefix: string;
  polls = 0;

  constructor(rig: string, devices: number, prefix = 'gpu') {
    this.rig = rig;
    this.#devices = devices;
    this.#prefix = prefix;
  }

  async poll(ctx: SourceContext): Promise<void> {
    const n = this.polls++;
    for (let d = 0; d < this.#devices; d++)
      ctx.emit(readingAt(ctx.clock.nowMs(), this.rig, d, n, this.#prefix));
  }

  async close(): Promise<void> {}
}

/** A sink that keeps every batch it is given, in order: what the other sinks must hold too. */
export class RecordingSink implements Sink {
  readonly name = 'recorder';
  readonly batches: RigTickBatch[] = [];

  write(batch: RigTickBatch): void {
    this.batches.push(batch);
  }

  /** Every snapshot handed out for `rig`, in order. */
  snapshots(rig: string): Snapshot[] {
    return this.batches.filter((b) => b.rig === rig).flatMap((b) => b.snapshots);
  }

  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  health(): SinkHealth {
    return { ok: true, queued: 0, spooled: 0, dropped: 0, lastError: null };
  }
}

/** A rig's devices: a count of GPUs (one source), or one source per device-name prefix with its count. */
export type RigDevices = number | Readonly<Record<string, number>>;

/** A running service on a fake clock over `rigs` (name → devices) and `sinks`. */
export interface TestService {
  readonly service: Service;
  readonly clock: FakeClock;
  readonly sources: readonly FleetSource[];
  /** Moves the clock `n` poll intervals: every source is polled `n` times. */
  ticks(n: number): Promise<void>;
}

/**
 * Builds and starts the service (real ingest, scoring and fan-out; sources not fast-capable, so there
 * are no bursts and each source is polled exactly once per interval) and runs the first poll at T0.
 */
export async function startService(
  rigs: Readonly<Record<string, RigDevices>>,
  sinks: readonly Sink[],
  clock: FakeClock = new FakeClock(T0),
): Promise<TestService> {
  const sourcesOf = (rig: string, devices: RigDevices): FleetSource[] =>
    Object.entries(typeof devices === 'number' ? { gpu: devices } : devices).map(
      ([prefix, n]) => new FleetSource(rig, n, prefix),
    );
  const perRig = Object.entries(rigs).map(([rig, devices]) => ({ rig, sources: sourcesOf(rig, devices) }));
  const service = new Service(
    perRig.map(({ rig, sources }) => ({
      name: rig,
      scorer: {},
      sources: sources.map((source) => ({ source, fastCapable: false, intervalMs: INTERVAL_MS })),
    })),
    { intervalMs: INTERVAL_MS, burstIntervalMs: 200, burstDurationMs: 5000 },
    { clock, timers: clock, logger: pino({ level: 'silent' }), sinks },
  );
  service.start();
  await clock.advance(0);
  return {
    service,
    clock,
    sources: perRig.flatMap((r) => r.sources),
    async ticks(n) {
      for (let i = 0; i < n; i++) await clock.advance(INTERVAL_MS);
    },
  };
}

/** The HTTP API over `deps` (history, metrics and health default to none/ok) on 127.0.0.1, port 0. */
export async function startApi(
  deps: Pick<ApiDeps, 'state'> & Partial<ApiDeps>,
): Promise<{ readonly url: string; close(): Promise<void> }> {
  const api = createApi({
    history: null,
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    health: () => ({ status: 'ok', components: {} }),
    logger: false,
    version: 'test',
    ...deps,
  });
  const address = await api.listen({ host: '127.0.0.1', port: 0 });
  return { url: address.url, close: () => api.close() };
}
