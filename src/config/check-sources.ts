// Checks each `rigs[i].sources[j]` entry with the options schema of its `kind`, so every source's
// problems carry the file position and the names of that kind's own options.

import { closestName } from './closest.ts';
import { checkEnvRefs, type Env, type PathProblem } from './env.ts';
import { describeValue } from './explain.ts';
import { jsonSchemaOf } from './json-schemas.ts';
import { isSourceKind, SOURCE_KIND_NAMES, SOURCE_KINDS } from './source-kinds.ts';
import type { SourceConfig } from './types.ts';
import type { KeyPath } from './yaml-source.ts';
import { problemsOf } from './zod-issues.ts';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const KINDS_LIST = SOURCE_KIND_NAMES.join(', ');

/** One source entry: its validated config, or the problems found (paths inside the file). */
export function checkSource(
  raw: unknown,
  path: KeyPath,
  env: Env,
): { source: SourceConfig | null; problems: PathProblem[] } {
  if (!isRecord(raw))
    return {
      source: null,
      problems: [{ path, message: `expected a mapping of kind and its options, got ${describeValue(raw)}` }],
    };
  const { kind, ...options } = raw;
  if (kind === undefined)
    return { source: null, problems: [{ path, message: `missing "kind"; expected one of ${KINDS_LIST}` }] };
  if (typeof kind !== 'string' || !isSourceKind(kind)) {
    const near = typeof kind === 'string' ? closestName(kind, SOURCE_KIND_NAMES) : null;
    const hint = near === null ? '' : ` (did you mean "${near}"?)`;
    const what =
      typeof kind === 'string'
        ? `unknown source kind "${kind}"`
        : `expected a source kind, got ${describeValue(kind)}`;
    return {
      source: null,
      problems: [{ path: [...path, 'kind'], message: `${what}${hint}; known kinds: ${KINDS_LIST}` }],
    };
  }
  const schema = SOURCE_KINDS[kind];
  const result = schema.safeParse(options, { reportInput: true });
  if (!result.success)
    return { source: null, problems: problemsOf(result.error.issues, jsonSchemaOf(schema), path) };
  const problems = checkEnvRefs(result.data, path, env);
  return { source: { kind, options: result.data } as SourceConfig, problems };
}
