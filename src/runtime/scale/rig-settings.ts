// The scorer settings of each rig as its collector published them (`rigtune:rig-config`, keyed by a
// hash of the settings): fetched once per hash and cached, so workers need no configuration file.

import { createHash } from 'node:crypto';
import type { ScorerOptions } from '../../pipeline/index.ts';
import { canonicalJson } from '../rig-table.ts';
import type { ValkeyPort } from './valkey-client.ts';

/** What a collector publishes per rig (and a worker scores with). */
export interface RigSettings {
  readonly scorer: Partial<ScorerOptions>;
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
