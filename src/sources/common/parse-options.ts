// Validates a source's options with its schema (duck-typed, so this folder needs no zod import) and
// turns the first problem into RT_CONFIG_INVALID naming the option path.

import { RigtuneError } from '../../core/errors.ts';

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** The part of a zod schema used here. */
export interface OptionsSchema<T> {
  safeParse(
    input: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } };
}

/** Parsed options with defaults applied; throws RT_CONFIG_INVALID `<kind>.<path>: <message>` otherwise. */
export function parseOptions<T>(schema: OptionsSchema<T>, input: unknown, kind: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.map(String).join('.');
  const field = path === '' ? kind : `${kind}.${path}`;
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  throw new RigtuneError('RT_CONFIG_INVALID', `${field}: ${issue.message}${more}`, { field });
}
