// Public face of study/report: pure builders for self-contained HTML reports (escaped HTML fragments,
// page shell with inline CSS, tables, and inline SVG charts) shared by the A-B-A study and the backtester.

export { deviceSection, efficiencyOf, METRIC_LABELS, PHASE_COLORS, phaseBands } from './aba-device.ts';
export { renderStudyReport, type StudyReportInput } from './aba-report.ts';
export {
  ciText,
  efficiencySamples,
  pctDecimals,
  pooledDevices,
  reportedVerdict,
  type StudyInputs,
  type StudySummaryLine,
  studyHeadline,
  summaryLine,
  textSummary,
  verdictSentence,
} from './aba-summary.ts';
export {
  type BoxStats,
  boxStats,
  type DistributionGroup,
  type DistributionSpec,
  distributionPlot,
} from './distribution-plot.ts';
export { type ForestRow, type ForestSpec, forestPlot } from './forest-plot.ts';
export {
  formatClockUtc,
  formatDuration,
  formatFixed,
  formatInterval,
  formatNumber,
  formatP,
  formatPct,
  formatTimeUtc,
} from './format.ts';
export {
  type Cell,
  callout,
  escapeHtml,
  facts,
  type HtmlValue,
  html,
  htmlPage,
  join,
  raw,
  SafeHtml,
  section,
  type TableSpec,
  type Tone,
  table,
} from './html.ts';
export {
  type LineChartSpec,
  type LineSeries,
  lineChart,
  PALETTE,
  type XBand,
  type XMarker,
} from './line-chart.ts';
export {
  binMeans,
  downsample,
  extent,
  linear,
  niceTicks,
  type Point,
  padDomain,
  quantileSorted,
  timeTicks,
} from './scale.ts';
