// Probes every configured pool concurrently, one connection each. A pool that fails yields a null
// latency and a warning; the poll fails (SourceError) only when every pool failed.

import { SourceError } from '../../core/errors.ts';
import { probeSubscribe } from '../../protocols/stratum/index.ts';
import { MappedSource, type SourceDeps } from '../common/index.ts';
import { mapProbes, type PoolOutcome, poolDevice } from './map.ts';
import type { StratumOptions } from './options.ts';

/** Deps of the stratum source: the common ones plus an optional monotonic clock (ms). */
export interface StratumDeps extends SourceDeps {
  readonly monotonicMs?: () => number;
}

/** A Source probing stratum pools (kind 'stratum'); options already validated. */
export function createStratumSource(options: StratumOptions, deps: StratumDeps): MappedSource {
  return new MappedSource('stratum', deps, options.interval_ms, async (ctx) => {
    const outcomes: PoolOutcome[] = await Promise.all(
      options.pools.map(async (pool): Promise<PoolOutcome> => {
        const device = poolDevice(pool.host, pool.port);
        try {
          const r = await probeSubscribe({
            host: pool.host,
            port: pool.port,
            tls: pool.tls,
            rejectUnauthorized: options.tls_reject_unauthorized,
            timeoutMs: options.timeout_ms,
            signal: ctx.signal,
            monotonicMs: deps.monotonicMs,
            userAgent: options.user_agent,
          });
          return {
            device,
            ok: true,
            latencyMs: r.latencyMs,
            connectMs: r.connectMs,
            replyError: r.replyError,
          };
        } catch (err) {
          if (!(err instanceof SourceError)) throw err;
          return { device, ok: false, error: err };
        }
      }),
    );
    const failed = outcomes.filter((o) => !o.ok);
    if (failed.length === outcomes.length) {
      const first = failed[0].ok ? undefined : failed[0].error;
      const list = failed.map((o) => (o.ok ? '' : `${o.device} ${o.error.kind}`)).join(', ');
      throw new SourceError(
        first?.kind ?? 'connect',
        `All stratum pools failed: ${list}`,
        { rig: deps.rig },
        { cause: first },
      );
    }
    return mapProbes(outcomes, ctx.clock.nowMs(), deps.rig);
  });
}
