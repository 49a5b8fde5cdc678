// Replays one trace file with one candidate configuration: the harness's detector step (scoring) plus
// the advisory engine fed each rig's tick, as the service feeds it; collects events, advice and exposure.

import { type AdvicePayload, AdvisoryEngine } from '../../control/advisory/index.ts';
import type { Clock } from '../../core/clock.ts';
import { RigtuneError } from '../../core/errors.ts';
import type { ScoreTick } from '../../core/scores.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { detectEvents, type Exposure, type Signal, traceFields } from '../../study/backtest/index.ts';
import { openTrace } from '../../traces/index.ts';
import type { Candidate } from './candidates.ts';

/** Trace time for the advisory engine: set to each batch's time before the engine reads it. */
class TraceClock implements Clock {
  #nowMs = 0;

  set(ms: number): void {
    this.#nowMs = ms;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  sleep(): Promise<void> {
    return Promise.reject(new Error('TraceClock does not sleep (a backtest has no timers)'));
  }
}

/** One rig's engine and the tick being gathered (all devices of the rig at one trace time). */
interface RigAdvisory {
  readonly engine: AdvisoryEngine;
  readonly clock: TraceClock;
  ts: number | null;
  /** Time of the last tick observed, to refuse rows out of time order within a rig. */
  lastMs: number;
  scores: ScoreTick[];
  snapshots: Snapshot[];
}

export interface TraceReplay {
  readonly records: number;
  readonly signals: readonly Signal[];
  readonly exposures: readonly Exposure[];
}

/**
 * Replays trace `path` (index `trace` in the backtest) with the candidate: every rupture event becomes
 * a signal at its ts_detected; each rig's records at one time form the tick the advisory engine observes
 * (one engine per rig, on trace time), and each raised advice becomes a signal at its raise time.
 * Throws what the trace reader throws (file:line:field).
 */
export async function replayTrace(
  trace: number,
  path: string,
  candidate: Candidate,
  ignoreUnknown: boolean,
): Promise<TraceReplay> {
  const reader = await openTrace(path);
  const fields = traceFields(reader, ignoreUnknown);
  const signals: Signal[] = [];
  const exposure = new Map<
    string,
    { rig: string; device: string; firstMs: number; lastMs: number; samples: number }
  >();
  const rigs = new Map<string, RigAdvisory | null>();
  const advisoryOf = (rig: string): RigAdvisory | null => {
    if (rigs.has(rig)) return rigs.get(rig) ?? null;
    const options = candidate.advisoryFor(rig);
    const clock = new TraceClock();
    const entry =
      options === null
        ? null
        : {
            clock,
            ts: null,
            lastMs: Number.NEGATIVE_INFINITY,
            scores: [],
            snapshots: [],
            engine: new AdvisoryEngine({
              clock,
              optionsFor: () => options,
              emit: (record) => {
                const p = record.payload as AdvicePayload;
                if (p.state !== 'active' || p.raised_ms !== record.ts) return; // updates and clears
                signals.push({
                  source: 'advice',
                  trace,
                  rig: p.target.rig,
                  device: p.target.device,
                  tsMs: record.ts,
                  class: null,
                  adviceKind: p.kind,
                });
              },
            }),
          };
    rigs.set(rig, entry);
    return entry;
  };
  const flush = (a: RigAdvisory, rig: string) => {
    if (a.ts === null) return;
    a.clock.set(a.ts);
    a.engine.observe({ rig, ts: a.ts, scores: a.scores, snapshots: a.snapshots });
    a.ts = null;
    a.scores = [];
    a.snapshots = [];
  };
  const result = await detectEvents(reader.records(), fields, candidate.scorerFor, {
    onEvent: (e) =>
      signals.push({
        source: 'event',
        trace,
        rig: e.rig,
        device: e.device,
        tsMs: e.ts_detected,
        class: e.class,
        adviceKind: null,
      }),
    onTick: (tick, snapshot) => {
      const key = `${tick.rig}\u0000${tick.device}`;
      const seen = exposure.get(key);
      if (seen === undefined)
        exposure.set(key, {
          rig: tick.rig,
          device: tick.device,
          firstMs: tick.ts,
          lastMs: tick.ts,
          samples: 1,
        });
      else {
        seen.lastMs = tick.ts;
        seen.samples += 1;
      }
      const a = advisoryOf(tick.rig);
      if (a === null) return;
      if (tick.ts < a.lastMs)
        throw new RigtuneError(
          'RT_INPUT_TIME',
          `rig ${tick.rig}: rows must be in time order across the rig's devices (the advisory engine reads ` +
            `a rig's devices together); sort the trace by ts`,
          { file: path, rig: tick.rig, device: tick.device },
        );
      a.lastMs = tick.ts;
      if (a.ts !== null && a.ts !== tick.ts) flush(a, tick.rig);
      a.ts = tick.ts;
      a.scores.push(tick);
      a.snapshots.push(snapshot);
    },
  });
  for (const [rig, a] of rigs) if (a !== null) flush(a, rig);
  const exposures = [...exposure.values()].map((e) => ({ trace, ...e }));
  return { records: result.records, signals, exposures };
}
