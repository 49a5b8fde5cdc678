// The scorer settings of each rig as its collector published them (`rigtune:rig-config`, keyed by a
// hash of the settings): fetched once per hash and cached, so workers need no configuration file.

import { createHash } from 'node:crypto';
import type { AutotuneMode } from '../../config/index.ts';
import type { AdvisoryOptions } from '../../control/advisory/index.ts';
import type { ScorerOptions } from '../../pipeline/index.ts';
import { canonicalJson } from '../rig-table.ts';
import type { ValkeyPort } from './valkey-client.ts';

/** What a collector publishes per rig (and a worker scores and advises with). */
export interface RigSettings {
  readonly scorer: Partial<ScorerOptions>;
  /** Effective advisory options; absent (settings of an earlier collector) = the built-in defaults. */
  readonly advisory?: AdvisoryOptions;
  /** The rig's autotune mode; `off` = scored only, no advice. Absent = `advise` (as `rigtune run`). */
  readonly autotune?: AutotuneMode;
}

/** A configured rig's settings as its collector publishes them. */
export function rigSettingsOf(rig: {
  readonly scorer: Partial<ScorerOptions>;
  readonly advisory?: AdvisoryOptions;
  readonly autotune?: AutotuneMode;
}): RigSettings {
  return {
    scorer: rig.scorer,
    ...(rig.advisory === undefined ? {} : { advisory: rig.advisory }),
    ...(rig.autotune === undefined ? {} : { autotune: rig.autotune }),
  };
}

/** Content hash (sha1 of the canonical JSON, 16 hex digits) and JSON of a rig's settings. */
export function settingsHash(settings: RigSettings): { hash: string; json: string } {
  const json = canonicalJson(settings);
  return { hash: createHash('sha1').update(json).digest('hex').slice(0, 16), json };
}

export class RigSettingsCache {
  readonly #port: ValkeyPort;
  readonly #key: string;
  readonly #cache = new Map<string, RigSettings>();

  constructor(port: ValkeyPort, key: string) {
    this.#port = port;
    this.#key = key;
  }

  /** Settings of hash `cfg` ('' = defaults); null when Valkey has none under it (defaults are used). */
  async get(cfg: string): Promise<RigSettings | null> {
    if (cfg === '') return { scorer: {} };
    const held = this.#cache.get(cfg);
    if (held !== undefined) return held;
    const json = await this.#port.command(this.#key, ['HGET', this.#key, cfg]);
    if (typeof json !== 'string') return null;
    const parsed = JSON.parse(json) as RigSettings;
    this.#cache.set(cfg, parsed);
    return parsed;
  }
}
