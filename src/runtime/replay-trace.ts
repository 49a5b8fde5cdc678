// A recorded trace checked end to end before a replay starts: the snapshot columns it carries, its
// rigs and devices, its time span and sampling step, so a bad line fails before anything is published.

import { RigtuneError } from '../core/errors.ts';
import { type TraceReader, traceSnapshotFields } from '../traces/index.ts';

/** Per-device steps kept to estimate the trace's sampling step (the first ones of the file). */
const STEP_SAMPLES = 10_001;
/** Poll interval of a trace whose step cannot be measured (one sample per device), ms. */
export const DEFAULT_STEP_MS = 1000;

/** What a whole read of the trace found. */
export interface TraceScan {
  readonly reader: TraceReader;
  /** Snapshot fields the trace fills, in file column order (other numeric columns are ignored). */
  readonly fields: readonly string[];
  /** Records (rows) in the file. */
  readonly records: number;
  /** Device names per rig, both sorted. */
  readonly rigs: ReadonlyMap<string, readonly string[]>;
  /** Earliest and latest record time, epoch ms. */
  readonly firstMs: number;
  readonly lastMs: number;
  /** Median time between two samples of a device, ms (DEFAULT_STEP_MS when no device has two). */
  readonly stepMs: number;
}

/** Options of `scanTrace`. */
export interface ScanOptions {
  /** Numeric columns that are not snapshot fields are ignored instead of rejected (as `score --ignore-unknown`). */
  readonly ignoreUnknown?: boolean;
}

/**
 * Reads the whole trace once. Throws the trace readers' RigtuneError (RT_INPUT_PARSE, RT_INPUT_COLUMN,
 * RT_INPUT_TIME naming file, line and field) at the first bad record, RT_INPUT_COLUMN for columns
 * that are not snapshot fields, RT_INPUT_PARSE for a trace without records.
 */
export async function scanTrace(reader: TraceReader, options: ScanOptions = {}): Promise<TraceScan> {
  const fields = traceSnapshotFields(reader, options.ignoreUnknown === true, 'replay');
  const devices = new Map<string, Set<string>>();
  const lastTs = new Map<string, number>();
  const steps: number[] = [];
  let records = 0;
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  for await (const r of reader.records()) {
    records += 1;
    if (r.ts < firstMs) firstMs = r.ts;
    if (r.ts > lastMs) lastMs = r.ts;
    const set = devices.get(r.rig) ?? new Set<string>();
    if (set.size === 0) devices.set(r.rig, set);
    set.add(r.device);
    const key = `${r.rig}\u0000${r.device}`;
    const prev = lastTs.get(key);
    if (prev !== undefined && steps.length < STEP_SAMPLES) steps.push(r.ts - prev);
    lastTs.set(key, r.ts);
  }
  if (records === 0)
    throw new RigtuneError('RT_INPUT_PARSE', 'the trace holds no records to replay', {
      file: reader.path,
      line: 1,
    });
  steps.sort((a, b) => a - b);
  const rigs = new Map([...devices.keys()].sort().map((rig) => [rig, [...(devices.get(rig) ?? [])].sort()]));
  return {
    reader,
    fields,
    records,
    rigs,
    firstMs,
    lastMs,
    stepMs: steps.length === 0 ? DEFAULT_STEP_MS : steps[steps.length >> 1],
  };
}
