// GET /api/rigs/:rig: one rig's latest state (every device's newest score, KPIs, rupture class), its
// active advice and latest actions, its status and sources; 404 for a rig the service does not know.

import type { FastifyInstance } from 'fastify';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { activeAdvice } from '../advice.ts';
import { notFoundError } from '../errors.ts';
import { parseNameParam, type Query, rejectUnknownParams } from '../params.ts';
import { rigStatus } from '../summary.ts';
import type { ApiDeps } from '../types.ts';
import { configuredSources } from './rigs.ts';

export function rigRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: { rig: string } }>('/api/rigs/:rig', async (request) => {
    rejectUnknownParams(request.query as Query, []);
    const rig = parseNameParam('rig', request.params.rig) as string;
    const state = deps.state.latest(rig);
    const configured = configuredSources(deps);
    const sources = configured === null ? undefined : (configured.get(rig) ?? null);
    if (state === null && (sources ?? null) === null && !deps.state.rigs().includes(rig)) {
      throw notFoundError(`unknown rig '${rig}'; GET /api/rigs lists the known rigs`, { rig });
    }
    return {
      schema: SCHEMA_VERSION,
      rig,
      status: rigStatus(state, sources),
      sources: sources ?? [],
      state,
      advice: activeAdvice(deps, rig),
      actions: deps.state.control(rig).filter((c) => c.kind === 'action'),
    };
  });
}
