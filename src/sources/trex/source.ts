// Polls T-Rex's `GET /summary` and maps the reply in one pure step.

import { getJson } from '../../protocols/http-json/index.ts';
import { endpointUrl, MappedSource, type SourceDeps } from '../common/index.ts';
import { mapTrex } from './map.ts';
import type { TrexOptions } from './options.ts';

/** A Source reading one T-Rex instance (kind 'trex'); options already validated. */
export function createTrexSource(options: TrexOptions, deps: SourceDeps): MappedSource {
  const url = endpointUrl(options.url, '/summary');
  return new MappedSource('trex', deps, options.interval_ms, async (ctx) => {
    const reply = await getJson(url, {
      timeoutMs: options.timeout_ms,
      connectTimeoutMs: options.connect_timeout_ms,
      maxBodyBytes: options.max_body_bytes,
      signal: ctx.signal,
    });
    return mapTrex(reply.body, ctx.clock.nowMs(), deps.rig);
  });
}
