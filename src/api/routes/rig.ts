// GET /api/rigs/:rig: one rig's latest state (every device's newest score, KPIs, rupture class) and
// its latest advice and actions; 404 for a rig the service does not know.

import type { FastifyInstance } from 'fastify';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { notFoundError } from '../errors.ts';
import { parseNameParam, type Query, rejectUnknownParams } from '../params.ts';
import type { ApiDeps } from '../types.ts';

export function rigRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: { rig: string } }>('/api/rigs/:rig', async (request) => {
    rejectUnknownParams(request.query as Query, []);
    const rig = parseNameParam('rig', request.params.rig) as string;
    const state = deps.state.latest(rig);
    if (state === null && !deps.state.rigs().includes(rig)) {
      throw notFoundError(`unknown rig '${rig}'; GET /api/rigs lists the known rigs`, { rig });
    }
    const control = deps.state.control(rig);
    return {
      schema: SCHEMA_VERSION,
      rig,
      state,
      advice: control.filter((c) => c.kind === 'advice'),
      actions: control.filter((c) => c.kind === 'action'),
    };
  });
}
