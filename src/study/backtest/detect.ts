// The detector step of every evaluation: trace records → the scoring pipeline (one FleetScorer per rig,
// as `rigtune score` and the service score) → ticks and rupture events. Backtests and TCPD both run it.

import type { RuptureEvent, ScoreTick } from '../../core/scores.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { FleetScorer, type ScorerOptions } from '../../pipeline/index.ts';
import {
  recordSnapshot,
  type TraceReader,
  type TraceRecord,
  traceSnapshotFields,
} from '../../traces/index.ts';

/** The snapshot fields of a trace (RT_INPUT_COLUMN for unknown columns unless `ignoreUnknown`). */
export function traceFields(reader: TraceReader, ignoreUnknown: boolean): string[] {
  return traceSnapshotFields(reader, ignoreUnknown, 'score');
}

/** A trace record as the snapshot the scorer reads (fields not in `fields` stay null). */
export const snapshotOf = recordSnapshot;

/** Receives the pipeline's output in order: each sample's tick (with its snapshot), each closed event. */
export interface DetectHooks {
  readonly onTick?: (tick: ScoreTick, snapshot: Snapshot) => void;
  readonly onEvent?: (event: RuptureEvent) => void;
}

export interface DetectResult {
  readonly records: number;
  readonly devices: number;
  /** Every rupture event, in the order closed (end-of-input flush last). */
  readonly events: readonly RuptureEvent[];
}

/**
 * Runs the scoring pipeline over `records` (each device's records in time order): one FleetScorer per
 * rig with `scorerFor(rig)`'s options; open events are closed at the end. Hooks see every tick and event.
 */
export async function detectEvents(
  records: AsyncIterable<TraceRecord> | Iterable<TraceRecord>,
  fields: readonly string[],
  scorerFor: (rig: string) => Partial<ScorerOptions>,
  hooks: DetectHooks = {},
): Promise<DetectResult> {
  const scorers = new Map<string, FleetScorer>();
  const events: RuptureEvent[] = [];
  const emit = (e: RuptureEvent) => {
    events.push(e);
    hooks.onEvent?.(e);
  };
  let count = 0;
  for await (const record of records) {
    count += 1;
    let scorer = scorers.get(record.rig);
    if (scorer === undefined) {
      scorer = new FleetScorer(scorerFor(record.rig));
      scorers.set(record.rig, scorer);
    }
    const snapshot = snapshotOf(record, fields);
    const { tick, events: closed } = scorer.push(snapshot);
    hooks.onTick?.(tick, snapshot);
    for (const e of closed) emit(e);
  }
  let devices = 0;
  for (const scorer of scorers.values()) {
    for (const e of scorer.flush()) emit(e);
    devices += scorer.deviceCount;
  }
  return { records: count, devices, events };
}

/** Change points of a detection run as 0-based sample indices: each event's ts_start on a regular grid. */
export function changePointIndices(events: readonly RuptureEvent[], t0Ms: number, stepMs: number): number[] {
  return events.map((e) => (e.ts_start - t0Ms) / stepMs);
}
