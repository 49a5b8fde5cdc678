// Builds the resolved Config from a validated file: merges thresholds per rig (and checks the rules
// between them), reads `*_env` secrets, places the data directories, and notes where secrets live.

import { type Env, type EnvUse, type PathProblem, readEnv } from './env.ts';
import { autoNeedsActuator, resolveControl, rigAutotune } from './resolve-control.ts';
import type { ConfigInput } from './schema.ts';
import {
  camelCase,
  checkThresholds,
  DEFAULT_THRESHOLDS,
  hasThreshold,
  mergeThresholds,
  toScorerSettings,
} from './scorer-settings.ts';
import type { SecretPlace } from './secrets.ts';
import type { ActuatorConfig, Config, RigConfig, SourceConfig, ValkeyConfig } from './types.ts';
import type { KeyPath } from './yaml-source.ts';

function joinDir(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** Where a value written at `raw` (a key path in the file) sits in the resolved Config. */
export function resolvedPath(raw: KeyPath): KeyPath {
  const [head, ...rest] = raw;
  if (head === 'data_dir') return ['dataDir'];
  if (head === 'http' || head === 'sampling')
    return [head, ...rest.map((k) => (typeof k === 'string' ? camelCase(k) : k))];
  if (head === 'rigs' && rest[1] === 'sources' && rest.length >= 4)
    return ['rigs', rest[0], 'sources', rest[2], 'options', ...rest.slice(3)];
  if (head === 'rigs' && rest[1] === 'actuator' && rest.length >= 3)
    return ['rigs', rest[0], 'actuator', 'options', ...rest.slice(2)];
  if (head === 'rigs' && rest[1] === 'optimizer')
    return ['rigs', rest[0], 'optimizerOptions', ...rest.slice(2)];
  if (head === 'rigs' && rest[1] === 'autotune' && rest.length >= 3)
    return ['rigs', rest[0], 'autotuneOptions', ...rest.slice(2)];
  if (head === 'control') {
    const key =
      rest[0] === 'api_token' ? 'token' : typeof rest[0] === 'string' ? camelCase(rest[0]) : rest[0];
    return ['control', key, ...rest.slice(1)];
  }
  return raw;
}

function thresholdProblems(input: ConfigInput): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const p of checkThresholds(mergeThresholds(DEFAULT_THRESHOLDS, input.defaults))) {
    const culprit = p.paths.find((path) => hasThreshold(input.defaults, path)) ?? p.paths[0];
    problems.push({ path: ['defaults', ...culprit], message: p.message });
  }
  for (const [i, rig] of input.rigs.entries()) {
    for (const p of checkThresholds(mergeThresholds(DEFAULT_THRESHOLDS, input.defaults, rig.thresholds))) {
      // A rule broken without this rig's help is reported once, under defaults.
      const culprit = p.paths.find((path) => hasThreshold(rig.thresholds, path));
      if (culprit !== undefined)
        problems.push({ path: ['rigs', i, 'thresholds', ...culprit], message: p.message });
    }
  }
  return problems;
}

function readSecret(name: string, at: KeyPath, env: Env, problems: PathProblem[]): string | null {
  const read = readEnv(name, env);
  if ('problem' in read) {
    problems.push({ path: at, message: read.problem });
    return null;
  }
  return read.value;
}

/** Rig i's checked sources (`sources[i]`) and actuator (`actuators[i]`, null = none). */
export interface CheckedParts {
  readonly sources: readonly (readonly SourceConfig[])[];
  readonly actuators: readonly (ActuatorConfig | null)[];
}

/**
 * The resolved Config for a file whose sections, sources and actuators all validated, or the problems
 * found while resolving (unset `*_env` variables, threshold rules, `auto` without an actuator).
 */
export function resolveConfig(
  file: string,
  input: ConfigInput,
  checked: CheckedParts,
  env: Env,
  uses: readonly EnvUse[],
): { config: Config; secrets: SecretPlace[] } | { problems: PathProblem[] } {
  const problems = thresholdProblems(input);
  const secrets: SecretPlace[] = uses.map((u) => ({ path: resolvedPath(u.path), shown: u.template }));
  const control = resolveControl(input, env, problems, secrets);

  let valkey: ValkeyConfig | null = null;
  const v = input.sinks.valkey;
  if (v !== undefined) {
    const { url, url_env, spool_dir, ...rest } = v;
    const resolvedUrl =
      url_env == null ? url : readSecret(url_env, ['sinks', 'valkey', 'url_env'], env, problems);
    if (url_env != null) secrets.push({ path: ['sinks', 'valkey', 'url'], shown: `\${ENV:${url_env}}` });
    valkey = {
      ...rest,
      url: resolvedUrl ?? '',
      url_env: url_env ?? null,
      spool_dir: spool_dir ?? joinDir(input.data_dir, 'spool/valkey'),
    };
  }

  const autotune = input.rigs.map((rig) => rigAutotune(rig.autotune));
  for (const [i, a] of autotune.entries()) {
    // A rig whose actuator: is written but bad has that reported already.
    const p = autoNeedsActuator(i, a.autotune, a.mapped, input.rigs[i].actuator !== undefined);
    if (p !== null) problems.push(p);
  }
  if (problems.length > 0) return { problems };

  const rigs: RigConfig[] = input.rigs.map((rig, i) => {
    const merged = mergeThresholds(DEFAULT_THRESHOLDS, input.defaults, rig.thresholds);
    return {
      name: rig.name,
      labels: rig.labels,
      autotune: autotune[i].autotune,
      autotuneOptions: autotune[i].autotuneOptions,
      optimizerOptions: rig.optimizer,
      actuator: checked.actuators[i] ?? null,
      sources: checked.sources[i],
      scorer: toScorerSettings(merged),
      advisory: merged.advisory,
    };
  });
  const config: Config = {
    file,
    dataDir: input.data_dir,
    http: { host: input.http.host, port: input.http.port },
    sampling: {
      intervalMs: input.sampling.interval_ms,
      burstIntervalMs: input.sampling.burst_interval_ms,
      burstDurationMs: input.sampling.burst_duration_ms,
      timeoutMs: input.sampling.timeout_ms,
    },
    defaults: toScorerSettings(mergeThresholds(DEFAULT_THRESHOLDS, input.defaults)),
    sinks: {
      valkey,
      prometheus: input.sinks.prometheus,
      parquet: { ...input.sinks.parquet, data_dir: input.sinks.parquet.data_dir ?? input.data_dir },
      audit: { ...input.sinks.audit, dir: input.sinks.audit.dir ?? joinDir(input.data_dir, 'audit') },
    },
    control,
    rigs,
  };
  return { config, secrets };
}
