// Public face of sinks/valkey-streams: the partitioned snapshot streams of the scale-out roles (the
// collector's disk-buffered writer, and the key names, entry codec and partition rule workers share).

import { RigtuneError } from '../../core/errors.ts';
import { type StreamWriterOptionsInput, StreamWriterOptionsSchema } from './options.ts';
import type { StreamWriterDeps } from './types.ts';
import { StreamWriter } from './writer.ts';

export const kind = 'valkey-streams';
export const optionsSchema = StreamWriterOptionsSchema;
export {
  compareStreamIds,
  type DecodedEntry,
  decodeEntry,
  derivedId,
  encodeEntry,
  MAX_SNAPSHOTS_PER_ENTRY,
  nextSeq,
  parseStreamId,
  type StreamEntry,
} from './entry.ts';
export { type ScaleKeys, scaleKeys, WORKER_GROUP } from './keys.ts';
export { NODE_ID, type StreamWriterOptions, type StreamWriterOptionsInput } from './options.ts';
export { fnv1a32, partitionOf } from './partition.ts';
export { APPEND_SCRIPT, type LuaScript, luaScript } from './script.ts';
export type { ScriptPort, StreamWriterDeps, StreamWriterStats } from './types.ts';
export { StreamWriter } from './writer.ts';

/** Validates `options` (RT_CONFIG_INVALID naming the option) and builds the writer. */
export function create(options: StreamWriterOptionsInput, deps: StreamWriterDeps): StreamWriter {
  const result = StreamWriterOptionsSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.map(String).join('.');
    const field = path === '' ? kind : `${kind}.${path}`;
    throw new RigtuneError('RT_CONFIG_INVALID', `${field}: ${issue.message}`, { field });
  }
  return new StreamWriter(result.data, deps);
}
