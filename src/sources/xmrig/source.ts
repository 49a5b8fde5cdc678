// Polls XMRig's HTTP API: `/2/summary` (required) then `/2/backends` (optional; when it fails the
// poll still emits the rig total, with a warning), and maps both replies in one pure step.

import { SourceError } from '../../core/errors.ts';
import { getJson, type HttpGetOptions } from '../../protocols/http-json/index.ts';
import { endpointUrl, MappedSource, resolveSecret, type SourceDeps } from '../common/index.ts';
import { mapXmrig } from './map.ts';
import type { XmrigOptions } from './options.ts';

/** A Source reading one XMRig instance (kind 'xmrig'); options already validated. */
export function createXmrigSource(options: XmrigOptions, deps: SourceDeps): MappedSource {
  const bearerToken = options.token ? resolveSecret(options.token, deps.env, 'xmrig.token') : undefined;
  const http: HttpGetOptions = {
    timeoutMs: options.timeout_ms,
    connectTimeoutMs: options.connect_timeout_ms,
    maxBodyBytes: options.max_body_bytes,
    bearerToken,
  };
  return new MappedSource('xmrig', deps, options.interval_ms, async (ctx) => {
    const summary = await getJson(endpointUrl(options.url, '/2/summary'), { ...http, signal: ctx.signal });
    let backends: unknown | null = null;
    const warnings: string[] = [];
    if (options.backends) {
      try {
        backends = (await getJson(endpointUrl(options.url, '/2/backends'), { ...http, signal: ctx.signal }))
          .body;
      } catch (err) {
        // Older or restricted builds lack /2/backends: the summary alone is still a valid sample.
        if (!(err instanceof SourceError) || ctx.signal.aborted) throw err;
        warnings.push(`XMRig /2/backends unavailable, per-device values skipped: ${err.message}`);
      }
    }
    const result = mapXmrig({ summary: summary.body, backends }, ctx.clock.nowMs(), deps.rig);
    return warnings.length === 0 ? result : { ...result, warnings: [...warnings, ...result.warnings] };
  });
}
