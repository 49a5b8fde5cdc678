// Resolves the control parts of a validated file: the `control:` section (journal place, the API token
// from the file or the environment, the kill switch) and each rig's `autotune:` mode and options.

import { AutotuneOptionsSchema } from '../control/autotune/options.ts';
import { type AutotuneMode, MIN_TOKEN_CHARS, type RigAutotuneInput } from './control.ts';
import { type Env, type PathProblem, readEnv } from './env.ts';
import type { ConfigInput } from './schema.ts';
import type { SecretPlace } from './secrets.ts';
import type { ControlConfig, RigConfig } from './types.ts';

function joinDir(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** The resolved `control:` section; problems for a token given twice, unset or too short. */
export function resolveControl(
  input: ConfigInput,
  env: Env,
  problems: PathProblem[],
  secrets: SecretPlace[],
): ControlConfig {
  const c = input.control;
  const httpEnv = input.http.token_env;
  if (c.api_token !== undefined && c.api_token_env !== undefined)
    problems.push({
      path: ['control', 'api_token_env'],
      message: 'give the control API token once: api_token or api_token_env, not both',
    });
  if (httpEnv !== undefined && (c.api_token !== undefined || c.api_token_env !== undefined))
    problems.push({
      path: ['http', 'token_env'],
      message: 'the control API token is already set under control:; remove http.token_env (its older place)',
    });
  const tokenEnv = c.api_token_env ?? httpEnv ?? null;
  let token: string | null = c.api_token ?? null;
  if (tokenEnv !== null) {
    const at = c.api_token_env !== undefined ? ['control', 'api_token_env'] : ['http', 'token_env'];
    const read = readEnv(tokenEnv, env);
    if ('problem' in read) problems.push({ path: at, message: read.problem });
    else if (read.value.length < MIN_TOKEN_CHARS)
      problems.push({
        path: at,
        message: `environment variable ${tokenEnv} holds a token of ${read.value.length} characters; at least ${MIN_TOKEN_CHARS} are needed`,
      });
    token = 'value' in read ? read.value : null;
    secrets.push({ path: ['control', 'token'], shown: `\${ENV:${tokenEnv}}` });
  }
  return {
    journalDir: c.journal_dir ?? joinDir(input.data_dir, 'journal'),
    tokenEnv,
    token,
    killSwitch: c.kill_switch,
  };
}

/** A rig's `autotune:` as the mode and the controller's options (defaults applied). */
export function rigAutotune(
  raw: RigAutotuneInput,
): Pick<RigConfig, 'autotune' | 'autotuneOptions'> & { readonly mapped: boolean } {
  if (typeof raw === 'string')
    return { autotune: raw, autotuneOptions: AutotuneOptionsSchema.parse({}), mapped: false };
  const { mode, ...options } = raw;
  return { autotune: mode, autotuneOptions: options, mapped: true };
}

/** A problem when rig `i` is in `auto` without an actuator to act through. */
export function autoNeedsActuator(
  i: number,
  mode: AutotuneMode,
  mapped: boolean,
  hasActuator: boolean,
): PathProblem | null {
  if (mode !== 'auto' || hasActuator) return null;
  return {
    path: mapped ? ['rigs', i, 'autotune', 'mode'] : ['rigs', i, 'autotune'],
    message:
      'autotune mode auto needs an `actuator:` on the rig (kind sim, nvml, braiins or luxos); use advise to get suggestions only',
  };
}
