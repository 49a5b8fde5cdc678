// Polls `GET /stat` (GMiner or Rigel) and maps the reply in one pure step.

import { getJson } from '../../protocols/http-json/index.ts';
import { endpointUrl, MappedSource, type SourceDeps } from '../common/index.ts';
import { mapStat } from './map.ts';
import type { GminerOptions } from './options.ts';

/** A Source reading one GMiner or Rigel instance (kind 'gminer'); options already validated. */
export function createGminerSource(options: GminerOptions, deps: SourceDeps): MappedSource {
  const url = endpointUrl(options.url, '/stat');
  return new MappedSource('gminer', deps, options.interval_ms, async (ctx) => {
    const reply = await getJson(url, {
      timeoutMs: options.timeout_ms,
      connectTimeoutMs: options.connect_timeout_ms,
      maxBodyBytes: options.max_body_bytes,
      signal: ctx.signal,
    });
    return mapStat(reply.body, ctx.clock.nowMs(), deps.rig, options.dialect);
  });
}
