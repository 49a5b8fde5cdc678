// From the text of `rigtune.yaml` to a resolved, frozen Config, or one ConfigError listing every
// problem found with its file, line and column. Pure: the caller reads the file and the environment.

import { checkActuator } from './check-actuators.ts';
import { checkSource } from './check-sources.ts';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { type Env, type PathProblem, substituteEnv } from './env.ts';
import { describeValue } from './explain.ts';
import { jsonSchemaOf } from './json-schemas.ts';
import { resolveConfig } from './resolve.ts';
import { ConfigSchema } from './schema.ts';
import { rememberSecrets } from './secrets.ts';
import type { ActuatorConfig, Config, SourceConfig } from './types.ts';
import { formatPath, locate, readYaml, type YamlSource } from './yaml-source.ts';
import { problemsOf } from './zod-issues.ts';

/** Longest configuration text accepted, characters (a config is a few KB; this stops a wrong path early). */
export const MAX_CONFIG_CHARS = 1 << 20;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function toIssues(source: YamlSource, problems: readonly PathProblem[]): ConfigIssue[] {
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const p of problems) {
    const pos = locate(source, p.path, p.atKey ? 'key' : 'value');
    const issue = {
      file: source.file,
      line: pos.line,
      column: pos.column,
      path: formatPath(p.path),
      message: p.message,
    };
    const key = `${issue.line}:${issue.column}:${issue.path}:${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

interface CheckedRigs {
  readonly sources: SourceConfig[][];
  readonly actuators: (ActuatorConfig | null)[];
  readonly problems: PathProblem[];
}

/** Sources and actuator of every rig (raw data), checked by kind; duplicate rig names. */
function checkRigs(data: unknown, env: Env): CheckedRigs {
  const problems: PathProblem[] = [];
  const sources: SourceConfig[][] = [];
  const actuators: (ActuatorConfig | null)[] = [];
  const rigs = isRecord(data) && Array.isArray(data.rigs) ? data.rigs : [];
  const firstIndex = new Map<string, number>();
  for (const [i, rig] of rigs.entries()) {
    const own: SourceConfig[] = [];
    sources.push(own);
    actuators.push(null);
    if (!isRecord(rig)) continue;
    const actuator = checkActuator(rig.actuator, ['rigs', i, 'actuator'], env);
    problems.push(...actuator.problems);
    actuators[i] = actuator.actuator;
    if (typeof rig.name === 'string') {
      const first = firstIndex.get(rig.name);
      if (first === undefined) firstIndex.set(rig.name, i);
      else
        problems.push({
          path: ['rigs', i, 'name'],
          message: `duplicate rig name ${describeValue(rig.name)} (also rigs[${first}])`,
        });
    }
    if (!Array.isArray(rig.sources)) continue;
    for (const [j, raw] of rig.sources.entries()) {
      const checked = checkSource(raw, ['rigs', i, 'sources', j], env);
      problems.push(...checked.problems);
      if (checked.source !== null) own.push(checked.source);
    }
  }
  return { sources, actuators, problems };
}

/**
 * Validates and resolves the text of a configuration file. `file` names it in messages; `env`
 * supplies `${ENV:NAME}`, `*_env` and `{ env: NAME }` values.
 * @throws ConfigError (RT_CONFIG_INVALID) listing every problem; nothing else for any input text.
 */
export function parseConfigText(text: string, file: string, env: Env): Config {
  if (text.length > MAX_CONFIG_CHARS)
    throw new ConfigError(file, [
      { file, line: 1, column: 1, path: '', message: `file is longer than ${MAX_CONFIG_CHARS} characters` },
    ]);
  const source = readYaml(text, file);
  if ('issues' in source) throw new ConfigError(file, source.issues);
  if (source.data === null)
    throw new ConfigError(file, [
      {
        file,
        line: 1,
        column: 1,
        path: '',
        message: 'the file is empty; expected a mapping with at least rigs',
      },
    ]);

  const substituted = substituteEnv(source.data, env);
  const parsed = ConfigSchema.safeParse(substituted.data, { reportInput: true });
  const rigs = checkRigs(substituted.data, env);
  const found: PathProblem[] = [...rigs.problems];
  if (!parsed.success) found.push(...problemsOf(parsed.error.issues, jsonSchemaOf(ConfigSchema)));
  const resolved = parsed.success ? resolveConfig(file, parsed.data, rigs, env, substituted.uses) : null;
  if (resolved !== null && 'problems' in resolved) found.push(...resolved.problems);
  // A value whose ${ENV:…} could not be read is reported once, as that, not also as malformed.
  const unread = new Set(substituted.problems.map((p) => formatPath(p.path)));
  const problems = [...substituted.problems, ...found.filter((p) => !unread.has(formatPath(p.path)))];
  if (problems.length > 0 || resolved === null || 'problems' in resolved)
    throw new ConfigError(file, toIssues(source, problems));
  const config = deepFreeze(resolved.config);
  rememberSecrets(config, resolved.secrets);
  return config;
}
