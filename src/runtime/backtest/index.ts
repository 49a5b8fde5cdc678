// Public face of runtime/backtest: replays traces with candidate configurations through scoring and the
// advisory engine, evaluates them with study/backtest, and writes backtest.json and report.html.

export { buildCandidates, type Candidate, DEFAULTS_RIG } from './candidates.ts';
export { listLabelFiles, listTraces, readLabels } from './inputs.ts';
export { type BacktestFiles, defaultOutDir, writeBacktestOutputs } from './output.ts';
export { replayTrace, type TraceReplay } from './replay.ts';
export { type BacktestIo, type BacktestOptions, runBacktest } from './run.ts';
