// Secrets and host-specific values from the environment: `${ENV:NAME}` inside any string of the
// file, `*_env` keys and `{ env: NAME }` references; a variable that is unset or empty is an error.

import type { KeyPath } from './yaml-source.ts';

/** The environment read (process.env in the service, a plain object in tests). */
export type Env = Readonly<Record<string, string | undefined>>;

/** A string that took (part of) its value from the environment; `template` is how the file wrote it. */
export interface EnvUse {
  readonly path: KeyPath;
  readonly template: string;
  readonly names: readonly string[];
}

/** A problem with a key path (turned into file:line:column by the caller). */
export interface PathProblem {
  readonly path: KeyPath;
  readonly message: string;
  /** Point at the key rather than its value (unknown keys). */
  readonly atKey?: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REFERENCE = /\$(\$?)\{ENV:([^}]*)\}/g;

/** The value of variable `name`, or a problem message when it is unset or empty. */
export function readEnv(name: string, env: Env): { value: string } | { problem: string } {
  const value = env[name];
  if (value === undefined || value === '') return { problem: `environment variable ${name} is not set` };
  return { value };
}

function substituteString(
  text: string,
  path: KeyPath,
  env: Env,
  uses: EnvUse[],
  problems: PathProblem[],
): string {
  if (!text.includes('{ENV:')) return text;
  const names: string[] = [];
  const out = text.replace(REFERENCE, (match, dollar: string, name: string) => {
    if (dollar === '$') return match.slice(1); // `$${ENV:X}` is the literal text `${ENV:X}`
    if (!ENV_NAME.test(name)) {
      problems.push({
        path,
        message: `bad environment reference ${match}: expected \${ENV:NAME}, NAME of letters, digits and _`,
      });
      return match;
    }
    const read = readEnv(name, env);
    if ('problem' in read) {
      problems.push({ path, message: `${read.problem} (referenced as ${match})` });
      return match;
    }
    names.push(name);
    return read.value;
  });
  if (text.replace(REFERENCE, '').includes('${ENV:'))
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the message quotes the config syntax.
    problems.push({ path, message: 'unterminated ${ENV:NAME} reference: expected a closing }' });
  if (names.length > 0) uses.push({ path, template: text, names });
  return out;
}

/**
 * Replaces every `${ENV:NAME}` in the strings of `data` (values only, never keys) with the
 * variable's value. Returns the new data, where each substitution happened (for redaction) and the
 * problems: unset or empty variables, malformed references.
 */
export function substituteEnv(
  data: unknown,
  env: Env,
): { data: unknown; uses: EnvUse[]; problems: PathProblem[] } {
  const uses: EnvUse[] = [];
  const problems: PathProblem[] = [];
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') return substituteString(value, path, env, uses, problems);
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, [...path, k]);
      return out;
    }
    return value;
  };
  return { data: walk(data, []), uses, problems };
}

/** True for the `{ env: NAME }` reference objects some components take for secrets. */
export function isEnvRef(value: unknown): value is { readonly env: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'env' && typeof (value as { env: unknown }).env === 'string';
}

/** Problems for every `{ env: NAME }` under `data` whose variable is unset (path of the `env` key). */
export function checkEnvRefs(data: unknown, base: KeyPath, env: Env): PathProblem[] {
  const problems: PathProblem[] = [];
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (isEnvRef(value)) {
      const read = readEnv(value.env, env);
      if ('problem' in read) problems.push({ path: [...path, 'env'], message: read.problem });
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, [...path, i]);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(data, [...base]);
  return problems;
}
