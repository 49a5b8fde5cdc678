// The keys a worker writes a rig's advice to: the single-process hash and channel `telemetry:advice:{rig}`
// unchanged, and its two bookkeeping keys hash-tagged with that key's name, so all three share one slot.

import type { ControlRecord } from '../../core/sink.ts';
import type { AdviceKeys } from '../../sinks/valkey/index.ts';
import { mapOf } from './replies.ts';
import type { ValkeyPort } from './valkey-client.ts';

/**
 * `advice` = `<prefix>:advice:<rig>` (what readers read: the same name, content and channel as the
 * Valkey sink's); `version` / `expiry` = `<prefix>:advice-version:{<prefix>:advice:<rig>}` and
 * `…advice-expiry:{…}`. A key without braces hashes whole (CRC16 of `telemetry:advice:rig0`); the tag
 * makes the other two hash exactly that text, so the advice script touches one Valkey Cluster slot.
 * Rig names and prefixes hold no braces (config: `[A-Za-z0-9._-]`), so the advice key has no tag.
 */
export function adviceKeysOf(prefix: string, rig: string): AdviceKeys {
  const advice = `${prefix}:advice:${rig}`;
  return {
    advice,
    version: `${prefix}:advice-version:{${advice}}`,
    expiry: `${prefix}:advice-expiry:{${advice}}`,
  };
}

/** A rig's active advice as Valkey holds it (HGETALL of the hash; records that do not parse skipped). */
export async function readActiveAdvice(
  port: ValkeyPort,
  prefix: string,
  rig: string,
): Promise<ControlRecord[]> {
  const key = adviceKeysOf(prefix, rig).advice;
  const out: ControlRecord[] = [];
  for (const json of mapOf(await port.command(key, ['HGETALL', key])).values()) {
    if (typeof json !== 'string') continue;
    try {
      const r = JSON.parse(json) as ControlRecord;
      if (r.kind === 'advice' && r.rig === rig && typeof r.ts === 'number') out.push(r);
    } catch {
      // Not a record this version wrote: not advice to continue (the reader's view is unchanged).
    }
  }
  return out;
}
