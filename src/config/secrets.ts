// Which values of a resolved Config came from the environment, kept beside it (not in it) so the
// Config stays plain data and redactConfig can show `${ENV:NAME}` instead of the value.

import type { Config } from './types.ts';
import type { KeyPath } from './yaml-source.ts';

/** A secret's place in the resolved Config and how to show it (the file's template or the variable). */
export interface SecretPlace {
  readonly path: KeyPath;
  readonly shown: string;
}

const SECRETS = new WeakMap<Config, readonly SecretPlace[]>();

/** Records where `config` holds values read from the environment (called once by the loader). */
export function rememberSecrets(config: Config, places: readonly SecretPlace[]): void {
  SECRETS.set(config, Object.freeze([...places]));
}

/** The recorded secret places of `config` (none for a Config not made by the loader). */
export function secretsOf(config: Config): readonly SecretPlace[] {
  return SECRETS.get(config) ?? [];
}
