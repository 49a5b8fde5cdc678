// GET /metrics: the Prometheus exposition rendered by the runtime's registry, passed through with its
// own content type (the text format version Prometheus negotiates on).

import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../types.ts';

export function metricsRoute(app: FastifyInstance, deps: ApiDeps): void {
  // Query parameters are ignored: Prometheus scrape configs may add their own (e.g. `params:`).
  app.get('/metrics', async (_request, reply) => {
    const exposition = await deps.metrics();
    reply.type(exposition.contentType).header('cache-control', 'no-store');
    return exposition.body;
  });
}
