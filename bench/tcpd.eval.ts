// TCPD evaluation: runs the change-point detector (default options) on the 25 univariate target series
// and prints F1 / cover per series beside the published default baselines; the last line is one JSON object.

import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectChangePoints } from '../src/kernel/changepoint/index.ts';
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

const F1_BASELINES = ['binseg', 'pelt', 'bocpd', 'amoc', 'zero'] as const;
const COVER_BASELINES = ['amoc', 'pelt', 'binseg', 'zero'] as const;
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The detection step, kept to one function so it can be swapped for the scoring pipeline: pushes the
 * series through a fresh ChangePointDetector with DEFAULT options and returns each declared change's
 * estimated start index (0-based, the benchmark's change-point convention). No post-processing.
 */
export function detectSeries(values: ReadonlyArray<number | null>): number[] {
  return detectChangePoints(values).map((change) => change.startIndex);
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

function main(): void {
  const dir = dataDir(process.argv.slice(2));
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
  const rows: Row[] = loadTargets(dir).map((series) => {
    const predictions = detectSeries(series.values);
    return { series, predictions, ...scoreSeries(annotations[series.name] ?? {}, predictions, series.n) };
  });
  console.log(`TCPD default-configuration evaluation, ${rows.length} univariate series from ${dir}`);
  console.log('F1 with a 5-sample margin; cover as in TCPDBench; baselines: published default runs.');
  printTable(rows, f1Table, coverTable);
  const n = Math.max(rows.length, 1);
  const f1 = rows.reduce((s, r) => s + r.f1, 0) / n;
  const cover = rows.reduce((s, r) => s + r.cover, 0) / n;
  const round = (v: number) => Math.round(v * 10000) / 10000;
  console.log(JSON.stringify({ tcpd_f1: round(f1), tcpd_cover: round(cover), series: rows.length }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
