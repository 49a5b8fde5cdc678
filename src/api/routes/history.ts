// GET /api/rigs/:rig/history: one rig's snapshot and score rows between two times, served from the
// history reader (Parquet), with every bad parameter answered 400 naming it.

import type { FastifyInstance } from 'fastify';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { paramError, unavailableError } from '../errors.ts';
import {
  parseIntParam,
  parseListParam,
  parseNameParam,
  parseTimeParam,
  type Query,
  rejectUnknownParams,
  singleParam,
} from '../params.ts';
import type { ApiDeps } from '../types.ts';

/** Window served when `from` is absent, ms before `to`. */
export const DEFAULT_HISTORY_WINDOW_MS = 15 * 60 * 1000;
export const DEFAULT_HISTORY_LIMIT = 10_000;
export const MAX_HISTORY_LIMIT = 100_000;
/** Columns every row has; asking for them in `fields` is allowed and changes nothing. */
const KEY_FIELDS = ['ts', 'rig', 'device'];
const PARAMS = ['from', 'to', 'fields', 'device', 'limit'];

export function historyRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: { rig: string } }>('/api/rigs/:rig/history', async (request) => {
    const history = deps.history;
    if (history === null) {
      throw unavailableError('history is not configured: enable the parquet sink in rigtune.yaml');
    }
    const query = request.query as Query;
    rejectUnknownParams(query, PARAMS);
    const rig = parseNameParam('rig', request.params.rig) as string;
    const fromRaw = singleParam(query, 'from');
    const toRaw = singleParam(query, 'to');
    const toMs = toRaw === undefined ? (deps.now ?? Date.now)() : parseTimeParam('to', toRaw);
    const fromMs = fromRaw === undefined ? toMs - DEFAULT_HISTORY_WINDOW_MS : parseTimeParam('from', fromRaw);
    if (fromMs > toMs) {
      const toText = toRaw === undefined ? 'now' : `to (${new Date(toMs).toISOString()})`;
      throw paramError('from', `from (${new Date(fromMs).toISOString()}) is after ${toText}`);
    }
    const known = [...KEY_FIELDS, ...history.fields()];
    const asked = parseListParam('fields', singleParam(query, 'fields'), known);
    const fields = asked === null ? null : asked.filter((f) => !KEY_FIELDS.includes(f));
    const device = parseNameParam('device', singleParam(query, 'device'));
    const limit = parseIntParam(
      'limit',
      singleParam(query, 'limit'),
      1,
      MAX_HISTORY_LIMIT,
      DEFAULT_HISTORY_LIMIT,
    );
    const result = await history.query({ rig, fromMs, toMs, fields, device, limit });
    return {
      schema: SCHEMA_VERSION,
      rig,
      from_ms: fromMs,
      to_ms: toMs,
      fields: fields ?? history.fields(),
      limit,
      truncated: result.truncated,
      rows: result.rows,
    };
  });
}
