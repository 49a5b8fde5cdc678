// `rigtune score` as a function: trace file → scorer → NDJSON ticks and rupture events. Output files
// are written atomically, so a bad input line never leaves a half-written output behind.

import type { AtomicFileWriter } from '../../durable/index.ts';
import { FleetScorer, type RuptureEvent, type ScorerOptions, type ScoreTick } from '../../pipeline/index.ts';
import { openTrace, recordSnapshot, traceSnapshotFields } from '../../traces/index.ts';
import { type LineSink, openSink } from './line-sink.ts';

export interface ScoreRunOptions {
  /** Tick NDJSON destination; undefined = stdout. */
  readonly out?: string;
  /** Write rupture events. */
  readonly events: boolean;
  /** Event NDJSON destination; undefined = the tick destination. */
  readonly eventsOut?: string;
  /** Write tick lines (false with `events` gives an events-only stream). */
  readonly ticks: boolean;
  /** Numeric columns that are not snapshot fields are ignored instead of rejected. */
  readonly ignoreUnknown: boolean;
  readonly scorer?: Partial<ScorerOptions>;
}

export interface ScoreRunIo {
  readonly stdout: { write(chunk: string): unknown };
  /** Called with (bytes consumed, total bytes) as the input is read. */
  readonly onProgress?: (consumed: number, total: number) => void;
  /** Receives every tick and event as objects too (summaries, the TCPD evaluation). */
  readonly onTick?: (tick: ScoreTick) => void;
  readonly onEvent?: (event: RuptureEvent) => void;
}

export interface ScoreRunResult {
  readonly records: number;
  readonly devices: number;
  readonly events: number;
}

/** Scores `file`; throws RigtuneError naming file, line and field on bad input. */
export async function runScore(
  file: string,
  options: ScoreRunOptions,
  io: ScoreRunIo,
): Promise<ScoreRunResult> {
  const reader = await openTrace(file);
  const fields = traceSnapshotFields(reader, options.ignoreUnknown);
  const scorer = new FleetScorer(options.scorer);
  const writers: AtomicFileWriter[] = [];
  const ticksSink: LineSink = await openSink(options.out, io.stdout, writers);
  const eventsSink: LineSink =
    options.eventsOut === undefined ? ticksSink : await openSink(options.eventsOut, io.stdout, writers);
  let records = 0;
  let events = 0;
  const emitEvent = async (e: RuptureEvent): Promise<void> => {
    events += 1;
    io.onEvent?.(e);
    if (options.events) await eventsSink.write(`${JSON.stringify(e)}\n`);
  };
  try {
    const progress =
      io.onProgress === undefined ? undefined : (n: number) => io.onProgress?.(n, reader.sizeBytes);
    for await (const record of reader.records(progress)) {
      records += 1;
      const { tick, events: closed } = scorer.push(recordSnapshot(record, fields));
      io.onTick?.(tick);
      if (options.ticks) await ticksSink.write(`${JSON.stringify(tick)}\n`);
      for (const e of closed) await emitEvent(e);
    }
    for (const e of scorer.flush()) await emitEvent(e);
    for (const w of writers) await w.commit();
  } catch (err) {
    for (const w of writers) await w.abort();
    throw err;
  }
  return { records, devices: scorer.deviceCount, events };
}
