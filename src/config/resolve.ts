// Builds the resolved Config from a validated file: merges thresholds per rig (and checks the rules
// between them), reads `*_env` secrets, places the data directories, and notes where secrets live.

import { type Env, type EnvUse, type PathProblem, readEnv } from './env.ts';
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
import type { Config, RigConfig, SourceConfig, ValkeyConfig } from './types.ts';
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

/**
 * The resolved Config for a file whose sections and sources all validated, or the problems found
 * while resolving (unset `*_env` variables, threshold rules). `sources[i]` are rig i's sources.
 */
export function resolveConfig(
  file: string,
  input: ConfigInput,
  sources: readonly (readonly SourceConfig[])[],
  env: Env,
  uses: readonly EnvUse[],
): { config: Config; secrets: SecretPlace[] } | { problems: PathProblem[] } {
  const problems = thresholdProblems(input);
  const secrets: SecretPlace[] = uses.map((u) => ({ path: resolvedPath(u.path), shown: u.template }));

  const tokenEnv = input.http.token_env ?? null;
  const token = tokenEnv === null ? null : readSecret(tokenEnv, ['http', 'token_env'], env, problems);
  if (tokenEnv !== null) secrets.push({ path: ['http', 'token'], shown: `\${ENV:${tokenEnv}}` });

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
  if (problems.length > 0) return { problems };

  const rigs: RigConfig[] = input.rigs.map((rig, i) => {
    const merged = mergeThresholds(DEFAULT_THRESHOLDS, input.defaults, rig.thresholds);
    return {
      name: rig.name,
      labels: rig.labels,
      autotune: rig.autotune,
      sources: sources[i],
      scorer: toScorerSettings(merged),
      advisory: merged.advisory,
    };
  });
  const config: Config = {
    file,
    dataDir: input.data_dir,
    http: { host: input.http.host, port: input.http.port, tokenEnv, token },
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
    rigs,
  };
  return { config, secrets };
}
