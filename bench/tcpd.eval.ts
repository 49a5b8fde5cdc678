// TCPD evaluation: scores each of the 25 univariate target series through the backtest harness (trace
// reader → scoring pipeline → events, as `rigtune score --events`; default options), then F1 / cover by the
// harness's matching rule, beside the published default baselines; the last line is one JSON object.
// `--export DIR` keeps each series' CSV and events file for independent checks.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChangePointOptions } from '../src/kernel/changepoint/index.ts';
import { changePointIndices, detectEvents, traceFields } from '../src/study/backtest/index.ts';
import {
  isTargetSeries,
  type PublishedScores,
  parsePublishedScores,
  parseTcpdDataset,
  publishedMean,
  scoreSeries,
  type TcpdSeries,
} from '../src/study/tcpd-eval.ts';
import type { Annotations } from '../src/study/tcpd-metrics.ts';
import { openTrace } from '../src/traces/index.ts';

const F1_BASELINES = ['binseg', 'pelt', 'bocpd', 'amoc', 'zero'] as const;
const COVER_BASELINES = ['amoc', 'pelt', 'binseg', 'zero'] as const;
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Epoch ms of a series' first sample when written as a trace; samples are 1 s apart. */
const T0_MS = 1_700_000_000_000;
const STEP_MS = 1000;

/** Writes a series as the one-channel trace `ts,power_w` (a missing value is an empty cell). */
export function seriesCsv(values: ReadonlyArray<number | null>): string {
  const lines = ['ts,power_w'];
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    lines.push(`${T0_MS + i * STEP_MS},${v === null || !Number.isFinite(v) ? '' : String(v)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The detection step: the series' one-channel trace read by the trace reader of `rigtune score` and run
 * through the backtest harness's detector step (the same FleetScorer path as `rigtune score --events`).
 * Change points are the events' ts_start as 0-based sample indices (the benchmark's convention). No
 * post-processing. With `keep`, the events are written beside the trace for independent checks.
 */
export async function detectSeries(
  name: string,
  values: ReadonlyArray<number | null>,
  dir: string,
  changepoint: Partial<ChangePointOptions> = {},
  keep = false,
): Promise<number[]> {
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, seriesCsv(values));
  const reader = await openTrace(file);
  const { events } = await detectEvents(reader.records(), traceFields(reader, false), () => ({
    changepoint,
  }));
  if (keep)
    writeFileSync(join(dir, `${name}.events.ndjson`), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return changePointIndices(events, T0_MS, STEP_MS);
}

interface Row {
  readonly series: TcpdSeries;
  readonly predictions: readonly number[];
  readonly f1: number;
  readonly cover: number;
}

/** `--data DIR` (resolved against the working directory) or ../shared/data/tcpd beside the repository. */
function dataDir(argv: readonly string[]): string {
  const i = argv.indexOf('--data');
  if (i >= 0 && argv[i + 1]) return resolve(argv[i + 1]);
  return resolve(REPO_ROOT, '../shared/data/tcpd');
}

function loadTargets(dir: string): TcpdSeries[] {
  const files = readdirSync(resolve(dir, 'datasets')).filter((f) => f.endsWith('.json'));
  const series: TcpdSeries[] = [];
  for (const f of files.sort()) {
    const file = resolve(dir, 'datasets', f);
    const s = parseTcpdDataset(JSON.parse(readFileSync(file, 'utf8')), file);
    if (isTargetSeries(s.name, s.nDim)) series.push(s);
  }
  return series;
}

const fmt = (v: number | null | undefined) =>
  v === null || v === undefined ? '  fail' : v.toFixed(3).padStart(6);

function printTable(rows: readonly Row[], f1Table: PublishedScores, coverTable: PublishedScores): void {
  const head = [
    'series'.padEnd(20),
    '   n',
    '   cps',
    '  F1',
    ...F1_BASELINES.map((m) => m.padStart(6)),
    ' | cover',
    ...COVER_BASELINES.map((m) => m.padStart(6)),
  ];
  console.log(head.join(' '));
  for (const r of rows) {
    const name = r.series.name;
    const line = [
      name.padEnd(20),
      String(r.series.n).padStart(4),
      String(r.predictions.length).padStart(6),
      fmt(r.f1),
      ...F1_BASELINES.map((m) => fmt(f1Table.get(name)?.[m])),
      ' |',
      fmt(r.cover),
      ...COVER_BASELINES.map((m) => fmt(coverTable.get(name)?.[m])),
    ];
    console.log(line.join(' '));
  }
  const names = rows.map((r) => r.series.name);
  const mean = (pick: (r: Row) => number) => rows.reduce((s, r) => s + pick(r), 0) / Math.max(rows.length, 1);
  const avg = [
    'average'.padEnd(20),
    ''.padStart(4),
    ''.padStart(6),
    fmt(mean((r) => r.f1)),
    ...F1_BASELINES.map((m) => fmt(publishedMean(f1Table, names, m))),
    ' |',
    fmt(mean((r) => r.cover)),
    ...COVER_BASELINES.map((m) => fmt(publishedMean(coverTable, names, m))),
  ];
  console.log(avg.join(' '));
}

/** `--changepoint JSON`: detector options over the defaults, for sweeps (e.g. '{"maxRuns":30}'). */
function changepointOverrides(argv: readonly string[]): Partial<ChangePointOptions> {
  const i = argv.indexOf('--changepoint');
  if (i < 0) return {};
  const parsed: unknown = JSON.parse(argv[i + 1] ?? '');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`--changepoint: a JSON object of detector options is needed, got ${argv[i + 1]}`);
  return parsed as Partial<ChangePointOptions>;
}

/** `--export DIR`: where the traces and events are kept; else a temporary folder removed at the end. */
function exportDir(argv: readonly string[]): { dir: string; keep: boolean } {
  const i = argv.indexOf('--export');
  if (i >= 0 && argv[i + 1]) {
    const dir = resolve(argv[i + 1]);
    mkdirSync(dir, { recursive: true });
    return { dir, keep: true };
  }
  return { dir: mkdtempSync(join(tmpdir(), 'rigtune-tcpd-')), keep: false };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const dir = dataDir(argv);
  const out = exportDir(argv);
  const changepoint = changepointOverrides(argv);
  const annotations = JSON.parse(readFileSync(resolve(dir, 'annotations.json'), 'utf8')) as Record<
    string,
    Annotations
  >;
  const published = (metric: string) => {
    const file = resolve(dir, 'published_scores', `default_${metric}.csv`);
    return parsePublishedScores(readFileSync(file, 'utf8'), file);
  };
  const f1Table = published('f1');
  const coverTable = published('cover');
  const rows: Row[] = [];
  try {
    for (const series of loadTargets(dir)) {
      const predictions = await detectSeries(series.name, series.values, out.dir, changepoint, out.keep);
      rows.push({
        series,
        predictions,
        ...scoreSeries(annotations[series.name] ?? {}, predictions, series.n),
      });
    }
  } finally {
    if (!out.keep) rmSync(out.dir, { recursive: true, force: true });
  }
  console.log(`TCPD default-configuration evaluation, ${rows.length} univariate series from ${dir}`);
  console.log('Detector: rigtune score --events on each series as a one-channel trace (ts,power_w).');
  console.log('F1 with a 5-sample margin; cover as in TCPDBench; baselines: published default runs.');
  if (Object.keys(changepoint).length > 0) console.log(`Detector overrides: ${JSON.stringify(changepoint)}`);
  if (out.keep) console.log(`Traces and events kept in ${out.dir}`);
  printTable(rows, f1Table, coverTable);
  const n = Math.max(rows.length, 1);
  const f1 = rows.reduce((s, r) => s + r.f1, 0) / n;
  const cover = rows.reduce((s, r) => s + r.cover, 0) / n;
  const round = (v: number) => Math.round(v * 10000) / 10000;
  console.log(JSON.stringify({ tcpd_f1: round(f1), tcpd_cover: round(cover), series: rows.length }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
