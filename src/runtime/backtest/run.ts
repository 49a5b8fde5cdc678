// `rigtune backtest` as a function: traces × candidate configurations → signals → figures against the
// labels; with several candidates, a seeded validation/test split, the pick on validation, the pick on test.

import {
  type BacktestReport,
  type Exposure,
  evaluate,
  type LabelInput,
  type MatchOptions,
  type Signal,
  type SignalLevel,
  type SplitUnit,
  scopeLabels,
  selectCandidate,
} from '../../study/backtest/index.ts';
import { buildCandidates, type Candidate } from './candidates.ts';
import { listLabelFiles, listTraces, readLabels } from './inputs.ts';
import { replayTrace } from './replay.ts';

export interface BacktestOptions {
  /** `--data`: trace files or directories. */
  readonly data: readonly string[];
  /** `--events`: label files or directories. */
  readonly events: readonly string[];
  /** `--config` files; empty = built-in thresholds. */
  readonly configs: readonly string[];
  readonly sweep?: string;
  readonly split: { readonly by: SplitUnit; readonly fraction: number; readonly seed: number };
  readonly match: MatchOptions;
  /** Level of the headline figures and of the pick. */
  readonly level: SignalLevel;
  /** False-alarm budget of the pick, per device-day; null = none. */
  readonly maxFalseAlarmsPerDeviceDay: number | null;
  readonly ignoreUnknown: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface BacktestIo {
  /** Called after each (candidate, trace) replay. */
  readonly onProgress?: (done: number, total: number, candidate: string, trace: string) => void;
}

interface Replayed {
  readonly signals: Signal[];
  exposures: Exposure[];
  records: number;
}

async function replayAll(
  candidates: readonly Candidate[],
  traces: readonly string[],
  o: BacktestOptions,
  io: BacktestIo,
) {
  const out: Replayed[] = [];
  const total = candidates.length * traces.length;
  let done = 0;
  for (const c of candidates) {
    const r: Replayed = { signals: [], exposures: [], records: 0 };
    for (const [i, path] of traces.entries()) {
      const t = await replayTrace(i, path, c, o.ignoreUnknown);
      r.signals.push(...t.signals);
      r.exposures.push(...t.exposures);
      r.records += t.records;
      done += 1;
      io.onProgress?.(done, total, c.name, path);
    }
    out.push(r);
  }
  return out;
}

/** Runs the backtest (see README.md in study/backtest for every rule); throws RigtuneError on bad input. */
export async function runBacktest(o: BacktestOptions, io: BacktestIo = {}): Promise<BacktestReport> {
  const traces = listTraces(o.data);
  const labelFiles = listLabelFiles(o.events);
  const inputs: LabelInput[] = readLabels(labelFiles, traces);
  const candidates = buildCandidates(o.configs, o.sweep, o.env);
  const replayed = await replayAll(candidates, traces, o, io);
  // Exposure depends on the data only, not on the candidate: take the first replay's.
  const exposures = replayed[0].exposures;
  const { scoped, unobserved } = scopeLabels(inputs, exposures);
  const base = {
    kind: 'rigtune.backtest' as const,
    traces,
    label_files: labelFiles,
    labels_read: inputs.length,
    labels_unobserved: unobserved.map((u) => ({ id: u.label.id, file: u.label.file, line: u.label.line })),
    records: replayed[0].records,
    match: { before_s: o.match.beforeMs / 1000, after_s: o.match.afterMs / 1000 },
    level: o.level,
  };
  if (candidates.length === 1) {
    const c = candidates[0];
    const figures = evaluate(
      { signals: replayed[0].signals, labels: scoped, exposures, headline: o.level },
      o.match,
    );
    return {
      ...base,
      split: null,
      pick: null,
      candidates: [{ name: c.name, file: c.file, settings: c.settings, part: 'all', figures }],
      chosen: null,
      headline: { name: c.name, part: 'all', figures },
    };
  }
  const rule = { level: o.level, maxFalseAlarmsPerDeviceDay: o.maxFalseAlarmsPerDeviceDay };
  const data = replayed.map((r) => ({ signals: r.signals, labels: scoped, exposures }));
  const sel = selectCandidate(data, o.split, rule, o.match);
  const chosen = candidates[sel.pick.index];
  return {
    ...base,
    split: {
      ...o.split,
      validation_units: sel.validationUnits,
      test_units: sel.testUnits,
    },
    pick: { ...sel.pick, max_false_alarms_per_device_day: o.maxFalseAlarmsPerDeviceDay },
    candidates: candidates.map((c, i) => ({
      name: c.name,
      file: c.file,
      settings: c.settings,
      part: 'validation',
      figures: sel.validation[i],
    })),
    chosen: { name: chosen.name, figures: sel.test },
    headline: { name: chosen.name, part: 'test', figures: sel.test },
  };
}
