// Public face of durable/: disk primitives that must not lose or half-write data.
// Other layers import only this file.

export {
  AppendFile,
  type AppendFileOptions,
  type AppendFileStats,
  type AppendOutcome,
} from './append-file.ts';
export {
  AppendLog,
  type AppendLogOptions,
  type LogCursor,
  type LogRead,
  listSegments,
} from './append-log.ts';
export {
  AtomicFileWriter,
  type AtomicWriteOptions,
  type AtomicWriteResult,
  tempPathFor,
  writeFileAtomic,
} from './atomic-file.ts';
export {
  applyLogRetention,
  type LogFileEntry,
  type LogFilePattern,
  type LogRetention,
  listLogFiles,
  logFileName,
  parseLogFileName,
} from './log-files.ts';
export { type LogFileLines, readLogFiles, splitLines } from './read-log.ts';
export { RecordSpool, type SpoolCodec, type SpoolRead } from './record-spool.ts';
