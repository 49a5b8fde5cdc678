// Public face of protocols/nvidia-smi: the streaming `--query-gpu` CSV query as a child process, and
// the pure parser of its lines (header units, `[N/A]`, hex bitmasks, zone-less timestamps).

export {
  isRow,
  parseHeader,
  parseRow,
  type SmiColumn,
  type SmiGarbage,
  type SmiRow,
  type SmiValue,
  splitCells,
} from './csv.ts';
export { LEGACY_THROTTLE_FIELD, QUERY_FIELDS, queryArgs, type SmiQuery } from './query.ts';
export { type SmiExit, type SmiHandlers, SmiStream, type SmiStreamOptions } from './stream.ts';
export { isValidTimezone, parseSmiTimestamp, type WallClockToEpoch, zoneConverter } from './timestamp.ts';
