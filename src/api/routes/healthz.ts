// GET /healthz: the overall status and every component's health; 503 when a critical component is
// down, so a load balancer or watchdog can act on the status code alone.

import type { FastifyInstance } from 'fastify';
import { healthHttpStatus } from '../health.ts';
import { type Query, rejectUnknownParams } from '../params.ts';
import type { ApiDeps } from '../types.ts';

export function healthzRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/healthz', async (request, reply) => {
    rejectUnknownParams(request.query as Query, []);
    const report = deps.health();
    reply.code(healthHttpStatus(report.status)).header('cache-control', 'no-store');
    return { status: report.status, version: deps.version, components: report.components };
  });
}
