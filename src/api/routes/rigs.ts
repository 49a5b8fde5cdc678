// GET /api/rigs: every rig with a one-line summary (status, sources, devices, worst rupture class,
// lowest sep_score), the fleet view's single request; configured rigs appear before their first score.

import type { FastifyInstance } from 'fastify';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { type Query, rejectUnknownParams } from '../params.ts';
import { summarizeRig } from '../summary.ts';
import type { ApiDeps, ConfiguredSource } from '../types.ts';

/**
 * The configured sources of each configured rig, or null when the runtime gave no configuration view
 * (then every rig is summarized without sources).
 */
export function configuredSources(deps: ApiDeps): Map<string, readonly ConfiguredSource[]> | null {
  if (deps.configured === undefined) return null;
  return new Map(deps.configured().map((r) => [r.rig, r.sources]));
}

export function rigsRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/api/rigs', async (request) => {
    rejectUnknownParams(request.query as Query, []);
    const configured = configuredSources(deps);
    const names = new Set(deps.state.rigs());
    if (configured !== null) for (const name of configured.keys()) names.add(name);
    const rigs = [...names]
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((rig) =>
        summarizeRig(
          rig,
          deps.state.latest(rig),
          configured === null ? undefined : (configured.get(rig) ?? null),
        ),
      );
    return { schema: SCHEMA_VERSION, rigs };
  });
}
