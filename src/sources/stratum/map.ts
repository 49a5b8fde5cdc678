// Pure mapping of stratum probe outcomes to snapshots: one per pool (device `pool:<host>:<port>`)
// carrying `stratum_latency_ms`, null for a pool that failed, with the failure kind kept raw.

import type { SourceError } from '../../core/errors.ts';
import { type MapResult, MapResultBuilder } from '../common/index.ts';

/** What probing one pool gave. */
export type PoolOutcome =
  | {
      readonly device: string;
      readonly ok: true;
      readonly latencyMs: number;
      readonly connectMs: number;
      readonly replyError: unknown;
    }
  | { readonly device: string; readonly ok: false; readonly error: SourceError };

/** The device name of a pool: `pool:<host>:<port>` (IPv6 hosts in brackets). */
export function poolDevice(host: string, port: number): string {
  return `pool:${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Snapshots for one poll's outcomes (every pool gets one; failed pools hold null). */
export function mapProbes(outcomes: readonly PoolOutcome[], ts: number, rig: string): MapResult {
  const b = new MapResultBuilder(ts, rig);
  for (const o of outcomes) {
    b.device({ device: o.device, model: 'stratum v1 pool' });
    if (o.ok) {
      b.set(o.device, { stratum_latency_ms: o.latencyMs });
      b.raw(o.device, 'connect_ms', o.connectMs);
      // A pool may refuse the subscribe (error member) yet still answer: the round trip is real.
      if (o.replyError !== null) b.raw(o.device, 'subscribe_error', JSON.stringify(o.replyError));
    } else {
      b.set(o.device, { stratum_latency_ms: null });
      b.raw(o.device, 'error_kind', o.error.kind);
      b.warn(`Stratum probe of ${o.device} failed: ${o.error.message}`);
    }
  }
  return b.build();
}
