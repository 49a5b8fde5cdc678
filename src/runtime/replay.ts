// `rigtune replay`: a recorded trace fed through the running service — the same Service, ingest,
// per-rig scorers, sinks and HTTP API as `rigtune run` — paced by the trace's own timestamps ÷ speed.

import type { Logger } from 'pino';
import type { Api, ApiAddress } from '../api/index.ts';
import { type Config, parseConfigText } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import type { Sink } from '../core/sink.ts';
import type { Timers } from '../ingest/index.ts';
import { buildApi, buildSinks } from './build-sinks.ts';
import { REPLAY_WALL_TIMERS, ReplayClock } from './replay-clock.ts';
import { ReplayFeed, ReplaySource } from './replay-feed.ts';
import type { TraceScan } from './replay-trace.ts';
import { Service, type ServiceRig } from './service.ts';

// Why a Source and not a direct feeder: the replay's records enter where a live rig's readings do, so
// ingest (stale re-reads, per-device series), the per-rig scorers, the sink fan-out and the shutdown
// flush are the service's own code, unchanged. The service runs on a ReplayClock in trace time, so
// polls, freshness and batch times follow the trace and the results do not depend on wall speed.

export interface ReplayOptions {
  readonly scan: TraceScan;
  /** Trace ms per wall ms, > 0; MAX_SPEED (replay-clock.ts) for as fast as possible. */
  readonly speed: number;
  /** Sinks, HTTP address and thresholds (see `replayConfig` for the defaults without a file). */
  readonly config: Config;
  /** Score with the config's thresholds (a rig of the same name, else `defaults:`); false: built-in. */
  readonly configThresholds: boolean;
  /** Serve the HTTP API on config.http while replaying. */
  readonly http: boolean;
  /** Wall clock (sinks, pacing); `wallTimers` default: setTimeout/setImmediate. */
  readonly clock: Clock;
  readonly wallTimers?: Timers;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  /** Sinks added after the configured ones (tests collect batches with one). */
  readonly extraSinks?: readonly Sink[];
}

/** What a replay did. */
export interface ReplaySummary {
  readonly file: string;
  /** Records in the trace, and how many were handed to the service so far. */
  readonly records: number;
  readonly replayed: number;
  readonly rigs: number;
  readonly devices: number;
  /** Device samples scored, and rupture events closed (shutdown flush included once stopped). */
  readonly scores: number;
  readonly events: number;
  /** Samples the service did not score: identical re-reads (stale) and samples the scorer refused. */
  readonly unscored: number;
  /** Trace span, and the trace time the replay reached, epoch ms. */
  readonly firstMs: number;
  readonly lastMs: number;
  readonly reachedMs: number;
}

export interface RunningReplay {
  readonly service: Service;
  readonly clock: ReplayClock;
  readonly api: Api | null;
  readonly address: ApiAddress | null;
  /** Resolves when every record has been handed to the service; rejects on a read error. */
  readonly ended: Promise<void>;
  summary(): ReplaySummary;
  /** Stops the replay, closes open rupture events, flushes and closes every sink and the API. Idempotent. */
  stop(): Promise<ReplaySummary>;
}

/**
 * The configuration of a replay without a rigtune.yaml: the embedded store, Prometheus, Parquet and
 * the audit log under `dataDir`, HTTP on 127.0.0.1:`port`. A config needs one rig with a source; the
 * placeholder rig below is never polled (a replay's rigs come from the trace).
 */
export function replayConfig(dataDir: string, port: number): Config {
  const yaml = [
    `data_dir: ${JSON.stringify(dataDir)}`,
    `http: {host: 127.0.0.1, port: ${port}}`,
    'rigs:',
    '  - name: replay',
    '    sources: [{kind: xmrig, url: "http://127.0.0.1:1"}]',
    '',
  ].join('\n');
  return parseConfigText(yaml, '<replay>', {});
}

/** Builds the sinks, the API (when asked) and the service over the trace, and starts the replay. */
export async function startReplay(o: ReplayOptions): Promise<RunningReplay> {
  const { scan, config } = o;
  const built = await buildSinks(config, { clock: o.clock, logger: o.logger, env: o.env });
  const sinks = [...built.sinks, ...(o.extraSinks ?? [])];
  const clock = new ReplayClock(scan.firstMs, o.speed, {
    clock: o.clock,
    timers: o.wallTimers ?? REPLAY_WALL_TIMERS,
  });
  const feed = new ReplayFeed(scan);
  const hold = () => clock.hold();
  const thresholds = (rig: string): ServiceRig['scorer'] => {
    if (!o.configThresholds) return {};
    const own = config.rigs.find((r) => r.name === rig);
    return (own?.scorer ?? config.defaults) as ServiceRig['scorer'];
  };
  // One poll per trace step; the clock is held while a poll reads, so the timeout only guards a bug.
  const rigs: ServiceRig[] = [...scan.rigs].map(([rig, devices]) => ({
    name: rig,
    scorer: thresholds(rig),
    sources: [
      {
        key: `replay:${rig}`,
        kind: 'replay',
        create: () => new ReplaySource(rig, feed, hold, devices),
        fastCapable: false,
        intervalMs: scan.stepMs,
        timeoutMs: Math.max(scan.stepMs, 60_000),
      },
    ],
  }));
  const sampling = { intervalMs: scan.stepMs, burstIntervalMs: 200, burstDurationMs: 30_000 };
  const service = new Service(rigs, sampling, {
    clock,
    timers: clock,
    logger: o.logger,
    sinks,
    metrics: built.runtimeMetrics,
  });
  const api = o.http
    ? buildApi(built, { version: o.version, configured: () => service.configuredRigs() })
    : null;
  let address: ApiAddress | null = null;
  try {
    if (api !== null) address = await api.listen({ host: config.http.host, port: config.http.port });
  } catch (err) {
    await Promise.allSettled(sinks.map((s) => s.close()));
    throw err;
  }
  service.start();
  clock.start();
  // Once every record is out, trace time stops: nothing is left to pace, and stop() needs no timer.
  feed.done.then(
    () => clock.freeze(),
    () => clock.freeze(),
  );
  const summary = (): ReplaySummary => {
    const s = service.stats();
    let devices = 0;
    for (const d of scan.rigs.values()) devices += d.length;
    return {
      file: scan.reader.path,
      records: scan.records,
      replayed: feed.emitted,
      rigs: scan.rigs.size,
      devices,
      scores: s.scores,
      events: s.events,
      unscored: Math.max(0, feed.emitted - s.scores),
      firstMs: scan.firstMs,
      lastMs: scan.lastMs,
      reachedMs: feed.reachedMs ?? scan.firstMs,
    };
  };
  let stopped: Promise<ReplaySummary> | null = null;
  return {
    service,
    clock,
    api,
    address,
    ended: feed.done,
    summary,
    stop: () => {
      stopped ??= (async () => {
        await service.stop();
        await feed.close();
        await api?.close();
        return summary();
      })();
      return stopped;
    },
  };
}
