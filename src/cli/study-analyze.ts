// `rigtune study analyze --data DIR [--markers FILE] [--study ID] [--out DIR]`: an A-B-A study from the
// Parquet history to report.html + report.json; prints a short summary and, last, one JSON object.

import { Command } from 'commander';
import { RigtuneError } from '../core/errors.ts';
import type { StudyAnalysisOutcome } from '../runtime/study-history/index.ts';

/** Flags of `study analyze` as commander hands them over. */
export interface StudyAnalyzeFlags {
  readonly data: string;
  readonly markers?: string;
  readonly study?: string;
  readonly out?: string;
  readonly seed: string;
  readonly replicates?: string;
  readonly confidence?: string;
}

function usage(field: string, message: string): RigtuneError {
  return new RigtuneError('RT_CLI_USAGE', `--${field}: ${message}`, { command: 'study analyze', field });
}

function integer(field: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min)
    throw usage(field, `an integer ≥ ${min} is needed, got '${text}'`);
  return n;
}

function confidenceOf(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n >= 1)
    throw usage('confidence', `a level between 0 and 1 (such as 0.95) is needed, got '${text}'`);
  return n;
}

/**
 * Runs the analysis for parsed flags; returns what was written (the caller prints). The runtime (DuckDB's
 * native module) is loaded only here, so other commands do not pay for it at startup.
 */
export async function analyzeFromFlags(flags: StudyAnalyzeFlags): Promise<StudyAnalysisOutcome> {
  const options = {
    seed: integer('seed', flags.seed, 0),
    ...(flags.replicates === undefined ? {} : { replicates: integer('replicates', flags.replicates, 100) }),
    ...(flags.confidence === undefined ? {} : { confidence: confidenceOf(flags.confidence) }),
  };
  const { runStudyAnalysis } = await import('../runtime/study-history/index.ts');
  return runStudyAnalysis({
    dataDir: flags.data,
    markersFile: flags.markers,
    studyId: flags.study,
    outDir: flags.out,
    options,
  });
}

/** The stdout text: summary lines, then the JSON object as the last line. */
export function renderAnalyzeOutput(outcome: StudyAnalysisOutcome): string {
  return `${[...outcome.summary, JSON.stringify(outcome.line)].join('\n')}\n`;
}

export function studyAnalyzeCommand(): Command {
  return new Command('analyze')
    .summary('analyse an A-B-A study from the Parquet history into report.html and report.json')
    .description(
      'Analyse an A-B-A study from the Parquet history (DuckDB over <data>/snapshots): per device and pooled, ' +
        'phase means, the effect B − mean(A1, A2) with block-bootstrap intervals, carry-over, inlet-temperature ' +
        'drift adjustment and share-rate tests. Writes a self-contained report.html and report.json; prints ' +
        'a summary and, as the last line, one JSON object {study_id, devices, verdict, effect_pct, ci_low_pct, ' +
        'ci_high_pct, report}.',
    )
    .option('--data <dir>', 'data directory holding snapshots/ (and aba_markers/)', './data')
    .option('--markers <file>', 'NDJSON markers, one per line, instead of <data>/aba_markers')
    .option('--study <id>', 'which study, when the markers hold several')
    .option('--out <dir>', 'output folder (default <data>/studies/<id>/)')
    .option('--seed <n>', 'seed of the bootstrap (same seed, same numbers)', '1')
    .option('--replicates <n>', 'bootstrap replicates (default 2000)')
    .option('--confidence <level>', 'two-sided confidence level (default 0.95)')
    .addHelpText(
      'after',
      '\nExamples:\n  rigtune study analyze --data ./data\n  rigtune study analyze --data ./data --study pl-250 --out ./reports/pl-250\n' +
        '  rigtune study analyze --data ./data --markers markers.ndjson',
    )
    .action(async (flags: StudyAnalyzeFlags) => {
      process.stdout.write(renderAnalyzeOutput(await analyzeFromFlags(flags)));
    });
}
