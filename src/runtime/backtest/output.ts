// Writes a backtest's files: `<out>/backtest.json` (every number) and `<out>/report.html` (self-contained),
// each atomically, so a dashboard listing `<data_dir>/backtests/*/report.html` never sees half a file.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../durable/index.ts';
import { type BacktestReport, renderHtml } from '../../study/backtest/index.ts';

/** Paths written by writeBacktestOutputs. */
export interface BacktestFiles {
  readonly json: string;
  readonly html: string;
}

/** Creates `dir` (and parents) and writes backtest.json and report.html into it. */
export async function writeBacktestOutputs(dir: string, report: BacktestReport): Promise<BacktestFiles> {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'backtest.json');
  const html = join(dir, 'report.html');
  await writeFileAtomic(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(html, renderHtml(report));
  return { json, html };
}

/** `data/backtests/<UTC yyyymmdd-hhmmss>` for a run started at `nowMs`. */
export function defaultOutDir(nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('data', 'backtests', stamp);
}
