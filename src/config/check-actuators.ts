// Checks a rig's `actuator:` entry with the options schema of its `kind`, so its problems carry the
// file position and the names of that driver's own options (as check-sources.ts does for sources).

import { ACTUATOR_KIND_NAMES, ACTUATOR_KINDS, isActuatorKind } from './actuator-kinds.ts';
import { closestName } from './closest.ts';
import { checkEnvRefs, type Env, type PathProblem } from './env.ts';
import { describeValue } from './explain.ts';
import { jsonSchemaOf } from './json-schemas.ts';
import type { ActuatorConfig } from './types.ts';
import type { KeyPath } from './yaml-source.ts';
import { problemsOf } from './zod-issues.ts';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const KINDS_LIST = ACTUATOR_KIND_NAMES.join(', ');

/** One `actuator:` entry (undefined = none): its validated config, or the problems found. */
export function checkActuator(
  raw: unknown,
  path: KeyPath,
  env: Env,
): { actuator: ActuatorConfig | null; problems: PathProblem[] } {
  if (raw === undefined) return { actuator: null, problems: [] };
  if (!isRecord(raw))
    return {
      actuator: null,
      problems: [{ path, message: `expected a mapping of kind and its options, got ${describeValue(raw)}` }],
    };
  const { kind, ...options } = raw;
  if (kind === undefined)
    return { actuator: null, problems: [{ path, message: `missing "kind"; expected one of ${KINDS_LIST}` }] };
  if (typeof kind !== 'string' || !isActuatorKind(kind)) {
    const near = typeof kind === 'string' ? closestName(kind, ACTUATOR_KIND_NAMES) : null;
    const hint = near === null ? '' : ` (did you mean "${near}"?)`;
    const what =
      typeof kind === 'string'
        ? `unknown actuator kind "${kind}"`
        : `expected an actuator kind, got ${describeValue(kind)}`;
    return {
      actuator: null,
      problems: [{ path: [...path, 'kind'], message: `${what}${hint}; known kinds: ${KINDS_LIST}` }],
    };
  }
  const schema = ACTUATOR_KINDS[kind];
  const result = schema.safeParse(options, { reportInput: true });
  if (!result.success)
    return { actuator: null, problems: problemsOf(result.error.issues, jsonSchemaOf(schema), path) };
  const problems = checkEnvRefs(result.data, path, env);
  return { actuator: { kind, options: result.data } as ActuatorConfig, problems };
}
