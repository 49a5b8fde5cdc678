// GET /api/rigs: every rig with a one-line summary (devices, worst rupture class, lowest sep_score),
// the fleet view's single request.

import type { FastifyInstance } from 'fastify';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { type Query, rejectUnknownParams } from '../params.ts';
import { summarizeRig } from '../summary.ts';
import type { ApiDeps } from '../types.ts';

export function rigsRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/api/rigs', async (request) => {
    rejectUnknownParams(request.query as Query, []);
    const rigs = deps.state.rigs().map((rig) => summarizeRig(rig, deps.state.latest(rig)));
    return { schema: SCHEMA_VERSION, rigs };
  });
}
