// Public face of protocols/cgminer: the TCP client of the cgminer-family API (port 4028), its
// tolerant JSON reader with named quirks, per-miner locks and retry with backoff.

export { type CgminerClient, type CgminerClientOptions, createCgminerClient } from './cgminer-client.ts';
export {
  type CgminerReply,
  type CgminerRequestOptions,
  cgminerRequest,
  encodeRequest,
  kindOfSocketError,
} from './client.ts';
export { excerptAt, excerptHead } from './excerpt.ts';
export { MinerLocks, type ReleaseLock, sharedMinerLocks } from './miner-locks.ts';
export {
  EXPECTED_QUIRKS,
  isQuirkName,
  MAPPING_QUIRKS,
  type MappingQuirk,
  type QuirkName,
  READER_QUIRKS,
  type ReaderQuirk,
} from './quirks.ts';
export { type CgminerJson, MAX_DEPTH, readCgminerJson } from './reader.ts';
export { backoffDelayMs, type RetryDeps, type RetryPolicy, withRetry } from './retry.ts';
export { assertReplyOk, multiReplyPart, type ReplyStatus, replyStatus } from './status.ts';
export { readCgminerText } from './text-reply.ts';
