// Public face of study/backtest: the pure harness (detector step, matching, figures, split, sweep) that
// backtests and the TCPD evaluation share. File and advisory wiring live in runtime/backtest.

export {
  changePointIndices,
  type DetectHooks,
  type DetectResult,
  detectEvents,
  snapshotOf,
  traceFields,
} from './detect.ts';
export {
  concerns,
  deviceDaysOf,
  type EvaluationInput,
  evaluate,
  isAtLevel,
  proportion,
  rateOf,
  scopeLabels,
  windowOf,
} from './evaluate.ts';
export {
  type Ci,
  type Distribution,
  distributionOf,
  gammaP,
  poissonInterval,
  quantile,
} from './intervals.ts';
export { type Label, type LabelFormat, labelFormatOf, parseLabels } from './labels.ts';
export { insideAnyWindow, type MatchRule, type MatchWindow, matchWindows } from './match.ts';
export { renderHtml } from './render-html.ts';
export { formatProportion, formatRate, renderFigures, renderText } from './render-text.ts';
export { type BacktestReport, type CandidateResult, summaryLine } from './report.ts';
export { type Selection, selectCandidate } from './select.ts';
export {
  type BacktestData,
  hash32,
  SPLIT_UNITS,
  type SplitOptions,
  type SplitPart,
  type SplitUnit,
  splitData,
  unitKey,
  validationUnits,
} from './split.ts';
export {
  type GridPoint,
  gridPoints,
  type Pick,
  type PickRule,
  parseSweep,
  pickCandidate,
  type SweepAxis,
  type SweepValue,
} from './sweep.ts';
export {
  type BacktestFigures,
  DEFAULT_MATCH,
  type Exposure,
  type LabelInput,
  type LevelFigures,
  type MatchOptions,
  type Proportion,
  type Rate,
  type ScopedLabel,
  SIGNAL_LEVELS,
  type Signal,
  type SignalLevel,
} from './types.ts';
