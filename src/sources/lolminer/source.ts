// Polls lolMiner's `GET /summary` and maps the reply (either schema) in one pure step.

import { getJson } from '../../protocols/http-json/index.ts';
import { endpointUrl, MappedSource, type SourceDeps } from '../common/index.ts';
import { mapLolminer } from './map.ts';
import type { LolminerOptions } from './options.ts';

/** A Source reading one lolMiner instance (kind 'lolminer'); options already validated. */
export function createLolminerSource(options: LolminerOptions, deps: SourceDeps): MappedSource {
  const url = endpointUrl(options.url, '/summary');
  return new MappedSource('lolminer', deps, options.interval_ms, async (ctx) => {
    const reply = await getJson(url, {
      timeoutMs: options.timeout_ms,
      connectTimeoutMs: options.connect_timeout_ms,
      maxBodyBytes: options.max_body_bytes,
      signal: ctx.signal,
    });
    return mapLolminer(reply.body, ctx.clock.nowMs(), deps.rig);
  });
}
