// The per-rig control routes: set a rig's auto-tune mode, ask for a manual set-point through the same
// guard rails (202 / 409 / 422 / 502), and list the rig's journaled actions with their outcomes.

import type { FastifyInstance, FastifyReply } from 'fastify';
import { RigtuneError } from '../../core/errors.ts';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { requireToken } from '../auth.ts';
import { ActionBody, ModeBody, parseBody } from '../bodies.ts';
import type { ControlApi, ManualActionResult } from '../control-types.ts';
import { notFoundError, unavailableError } from '../errors.ts';
import {
  parseIntParam,
  parseNameParam,
  parseTimeParam,
  type Query,
  rejectUnknownParams,
  singleParam,
} from '../params.ts';
import type { ApiDeps } from '../types.ts';

/** Default and largest `limit` of GET /api/rigs/:rig/actions. */
export const DEFAULT_ACTIONS_LIMIT = 100;
export const MAX_ACTIONS_LIMIT = 1000;

/** Guards that refuse the request itself (422); any other refusal is the controller's state now (409). */
const REQUEST_GUARDS: ReadonlySet<string> = new Set(['bounds', 'max_step', 'no_change', 'device']);

/** The control the runtime handed in; 503 when auto-tune runs nowhere. */
export function controlOf(deps: ApiDeps): ControlApi {
  if (deps.control === undefined)
    throw unavailableError('auto-tune is not running: no rig has an `actuator:` in rigtune.yaml');
  return deps.control;
}

/** `rig` from the path, with an auto-tune controller; 404 otherwise. */
function controlledRig(control: ControlApi, raw: string): string {
  const rig = parseNameParam('rig', raw) as string;
  if (!control.has(rig))
    throw notFoundError(
      `rig '${rig}' has no auto-tune controller (unknown, or no \`actuator:\` in rigtune.yaml); GET /api/autotune lists the controlled rigs`,
      { rig },
    );
  return rig;
}

function sendResult(reply: FastifyReply, rig: string, r: ManualActionResult) {
  if (r.status === 'validating') return reply.code(202).send({ rig, status: r.status, id: r.id, to: r.to });
  if (r.status === 'failed') throw new RigtuneError('RT_API_ACTION_FAILED', r.reason, { rig });
  const status = REQUEST_GUARDS.has(r.guard) ? 422 : 409;
  return reply.code(status).send({ error: { code: 'RT_API_REFUSED', message: r.reason, guard: r.guard } });
}

export function controlRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const onRequest = requireToken(deps);

  app.post<{ Params: { rig: string } }>('/api/rigs/:rig/autotune', { onRequest }, async (request) => {
    rejectUnknownParams(request.query as Query, []);
    const body = parseBody(ModeBody, request.body);
    const control = controlOf(deps);
    const rig = controlledRig(control, request.params.rig);
    const r = await control.setMode(rig, body.mode);
    return { rig, mode: r.mode, previous: r.previous };
  });

  app.post<{ Params: { rig: string } }>('/api/rigs/:rig/actions', { onRequest }, async (request, reply) => {
    rejectUnknownParams(request.query as Query, []);
    const body = parseBody(ActionBody, request.body);
    const control = controlOf(deps);
    const rig = controlledRig(control, request.params.rig);
    return sendResult(reply, rig, await control.requestAction(rig, body));
  });

  app.get<{ Params: { rig: string } }>('/api/rigs/:rig/actions', async (request) => {
    const query = request.query as Query;
    rejectUnknownParams(query, ['since', 'limit']);
    const since = singleParam(query, 'since');
    const sinceMs = since === undefined ? 0 : parseTimeParam('since', since);
    const limit = parseIntParam(
      'limit',
      singleParam(query, 'limit'),
      1,
      MAX_ACTIONS_LIMIT,
      DEFAULT_ACTIONS_LIMIT,
    );
    const control = controlOf(deps);
    const rig = controlledRig(control, request.params.rig);
    return { schema: SCHEMA_VERSION, rig, actions: control.actions(rig, sinceMs, limit) };
  });
}
