// The service-wide control routes: the global kill switch (engage: every controller rolls back what is
// unvalidated and stops acting; release: the modes resume) and every rig's auto-tune status.

import type { FastifyInstance } from 'fastify';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { requireToken } from '../auth.ts';
import { KillSwitchBody, parseBody } from '../bodies.ts';
import { type Query, rejectUnknownParams } from '../params.ts';
import type { ApiDeps } from '../types.ts';
import { controlOf } from './control.ts';

export function killSwitchRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post('/api/killswitch', { onRequest: requireToken(deps) }, async (request) => {
    rejectUnknownParams(request.query as Query, []);
    const body = parseBody(KillSwitchBody, request.body);
    const control = controlOf(deps);
    const reason = body.reason ?? 'operator (POST /api/killswitch)';
    return { kill_switch: control.setKillSwitch(body.engaged, reason) };
  });

  app.get('/api/autotune', async (request) => {
    rejectUnknownParams(request.query as Query, []);
    const control = deps.control;
    if (control === undefined) return { schema: SCHEMA_VERSION, enabled: false, kill_switch: null, rigs: [] };
    return {
      schema: SCHEMA_VERSION,
      enabled: true,
      kill_switch: control.killSwitch(),
      rigs: control.status(),
    };
  });
}
