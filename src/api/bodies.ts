// The control routes' JSON bodies as strict zod schemas, and their checking: the first problem becomes
// a 400 RT_API_PARAM naming the field, so nothing is changed by a request that is not exactly right.

import { z } from 'zod';
import { SETPOINT_KINDS } from '../core/actuator.ts';
import { CONTROL_MODES } from './control-types.ts';
import { paramError } from './errors.ts';

const Reason = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

/** POST /api/rigs/:rig/autotune */
export const ModeBody = z.strictObject({ mode: z.enum(CONTROL_MODES) });

/** POST /api/rigs/:rig/actions: a value in the set-point's unit (W, MHz, %, profile steps). */
export const ActionBody = z.strictObject({
  device: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
  kind: z.enum(SETPOINT_KINDS),
  value: z.number().finite(),
  reason: Reason,
});

/** POST /api/killswitch */
export const KillSwitchBody = z.strictObject({ engaged: z.boolean(), reason: Reason.optional() });

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** `body` checked by `schema`; throws RT_API_PARAM naming the first bad field (`body` when it is no object). */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw paramError(
      'body',
      `the request body must be a JSON object, got ${body === undefined ? 'none' : shown(body)}`,
    );
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape ?? {});
    throw paramError(issue.keys[0], `unknown field '${issue.keys[0]}'; known fields: ${known.join(', ')}`);
  }
  const field = issue.path.map(String).join('.') || 'body';
  const input = (body as Record<string, unknown>)[String(issue.path[0])];
  if (input === undefined) throw paramError(field, `missing field '${field}'`);
  if (issue.code === 'invalid_value')
    throw paramError(field, `${field} must be one of ${issue.values.join(', ')}, got ${shown(input)}`);
  throw paramError(field, `${field}: ${issue.message}, got ${shown(input)}`);
}
