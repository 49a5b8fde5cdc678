// GETs one JSON document per poll and maps it with the configured mappings. Header and token secrets
// are resolved from the environment once, at create time, and never appear in errors or warnings.

import { getJson } from '../../protocols/http-json/index.ts';
import { MappedSource, resolveSecret, type SourceDeps } from '../common/index.ts';
import { compileMappings, mapJson } from './map.ts';
import type { HttpJsonOptions } from './options.ts';

/** A Source reading one JSON URL (kind 'http-json'); options already validated. */
export function createHttpJsonSource(options: HttpJsonOptions, deps: SourceDeps): MappedSource {
  const mappings = compileMappings(options.mappings);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers))
    headers[name] =
      typeof value === 'string' ? value : resolveSecret(value, deps.env, `http-json.headers.${name}`);
  const bearerToken = options.token ? resolveSecret(options.token, deps.env, 'http-json.token') : undefined;
  return new MappedSource('http-json', deps, options.interval_ms, async (ctx) => {
    const reply = await getJson(options.url, {
      timeoutMs: options.timeout_ms,
      connectTimeoutMs: options.connect_timeout_ms,
      maxBodyBytes: options.max_body_bytes,
      rejectUnauthorized: options.tls_reject_unauthorized,
      headers,
      bearerToken,
      signal: ctx.signal,
    });
    return mapJson(reply.body, mappings, ctx.clock.nowMs(), deps.rig, options.device);
  });
}
