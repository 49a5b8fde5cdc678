// `rigtune backtest`: replays traces through scoring and advisory with one or more configurations (and a
// threshold sweep), scores them against labelled incidents, and writes backtest.json and report.html.

import { Command } from 'commander';
import { RigtuneError } from '../core/errors.ts';
import { defaultOutDir, runBacktest, writeBacktestOutputs } from '../runtime/backtest/index.ts';
import {
  type BacktestReport,
  renderText,
  SIGNAL_LEVELS,
  type SignalLevel,
  SPLIT_UNITS,
  type SplitUnit,
  summaryLine,
} from '../study/backtest/index.ts';

/** Flags as commander hands them over (text; checked by `backtestOptions`). */
export interface BacktestFlags {
  readonly data?: readonly string[];
  readonly events?: readonly string[];
  readonly config?: readonly string[];
  readonly sweep?: string;
  readonly split: string;
  readonly splitBy: string;
  readonly seed: string;
  readonly before: string;
  readonly after: string;
  readonly level: string;
  readonly maxFalseAlarms?: string;
  readonly out?: string;
  readonly ignoreUnknown?: boolean;
  readonly quiet?: boolean;
}

function usage(field: string, message: string): RigtuneError {
  return new RigtuneError('RT_CLI_USAGE', `--${field}: ${message}`, { command: 'backtest', field });
}

function numberIn(text: string, field: string, min: number, max: number, open = false): number {
  const n = Number(text);
  const ok = text.trim() !== '' && Number.isFinite(n) && (open ? n > min && n < max : n >= min && n <= max);
  if (!ok)
    throw usage(
      field,
      `a number in ${open ? '(' : '['}${min}, ${max}${open ? ')' : ']'} is needed, got '${text}'`,
    );
  return n;
}

function oneOf<T extends string>(text: string, field: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw usage(field, `one of ${choices.join(', ')}, got '${text}'`);
}

/** Checks the flags; throws RT_CLI_USAGE naming the flag. */
export function backtestOptions(flags: BacktestFlags, env: Readonly<Record<string, string | undefined>>) {
  const data = flags.data ?? [];
  const events = flags.events ?? [];
  if (data.length === 0) throw usage('data', 'a trace file or directory is needed');
  if (events.length === 0) throw usage('events', 'a label file or directory is needed');
  const seed = numberIn(flags.seed, 'seed', 0, 0xffffffff);
  if (!Number.isInteger(seed)) throw usage('seed', `an integer is needed, got '${flags.seed}'`);
  return {
    data,
    events,
    configs: flags.config ?? [],
    sweep: flags.sweep,
    split: {
      by: oneOf<SplitUnit>(flags.splitBy, 'split-by', SPLIT_UNITS),
      fraction: numberIn(flags.split, 'split', 0, 1, true),
      seed,
    },
    match: {
      beforeMs: numberIn(flags.before, 'before', 0, 86_400) * 1000,
      afterMs: numberIn(flags.after, 'after', 0, 86_400) * 1000,
    },
    level: oneOf<SignalLevel>(flags.level, 'level', SIGNAL_LEVELS),
    maxFalseAlarmsPerDeviceDay:
      flags.maxFalseAlarms === undefined ? null : numberIn(flags.maxFalseAlarms, 'max-false-alarms', 0, 1e9),
    ignoreUnknown: flags.ignoreUnknown === true,
    env,
  };
}

/** Runs the command's work: the backtest, the files, the text; returns the report and the out dir. */
export async function runBacktestCommand(
  flags: BacktestFlags,
  io: {
    readonly stdout: { write(text: string): unknown };
    readonly stderr?: { write(text: string): unknown };
  },
  nowMs: number,
): Promise<{ report: BacktestReport; out: string }> {
  const options = backtestOptions(flags, process.env);
  const report = await runBacktest(options, {
    onProgress: flags.quiet
      ? undefined
      : (done, total, candidate) => io.stderr?.write(`backtest: ${done}/${total} replays (${candidate})\n`),
  });
  const out = flags.out ?? defaultOutDir(nowMs);
  const files = await writeBacktestOutputs(out, report);
  io.stdout.write(renderText(report));
  io.stdout.write(`\nWrote ${files.json} and ${files.html}\n`);
  io.stdout.write(`${JSON.stringify(summaryLine(report))}\n`);
  return { report, out };
}

const collect = (value: string, previous: readonly string[] | undefined) => [...(previous ?? []), value];

/** The `backtest` command. */
export function backtestCommand(): Command {
  return new Command('backtest')
    .description(
      'Replay traces through scoring and advisory with one or more configurations and score them against ' +
        'labelled incidents: detection rate, lead time, false alarms per device-day, advice precision (with n and 95 % intervals).',
    )
    .option(
      '--data <path>',
      'trace file, or a directory of them (.csv, .ndjson, .parquet); repeatable',
      collect,
    )
    .option(
      '--events <path>',
      'labels: the simulator ground truth (*.events.ndjson) or an incident list (NDJSON/CSV: rig, device, start, end, kind), or a directory of them; repeatable',
      collect,
    )
    .option(
      '--config <file>',
      'rigtune.yaml (or a file with only `defaults:` thresholds) to test; repeatable',
      collect,
    )
    .option('--sweep <grid>', "threshold grid, e.g. 'changepoint.hazard=1e-4,1e-3;rupture.meso=0.3,0.4'")
    .option(
      '--split <fraction>',
      'fraction of the units used to pick a configuration (validation); the rest is test',
      '0.5',
    )
    .option('--split-by <unit>', `unit of the split: ${SPLIT_UNITS.join(', ')}`, 'rig')
    .option('--seed <n>', 'seed of the split', '1')
    .option('--before <s>', 'a signal this many seconds before a label onset still counts for it', '60')
    .option('--after <s>', 'a signal this many seconds after a label end still counts for it', '300')
    .option(
      '--level <level>',
      `headline signal: ${SIGNAL_LEVELS.join(', ')} (events of at least that class, or advice)`,
      'micro',
    )
    .option('--max-false-alarms <n>', 'false alarms per device-day the pick may allow (default: no budget)')
    .option('--out <dir>', 'where backtest.json and report.html go (default data/backtests/<UTC time>)')
    .option('--ignore-unknown', 'ignore numeric columns that are not snapshot fields')
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  rigtune sim --rigs 6 --duration 2h --faults random:1 --out run/fleet.csv\n' +
        '  rigtune backtest --data run --events run --out out/bt\n' +
        "  rigtune backtest --data run --events run --sweep 'changepoint.hazard=1e-4,1e-3;rupture.micro=0.2,0.3'\n\n" +
        'The last stdout line is one JSON object: configs, traces, devices, device_days, labels, detection_rate,\n' +
        'lead_time_median_s, false_alarms_per_device_day, chosen. Matching rules: src/study/backtest/README.md.',
    )
    .action(async (flags: BacktestFlags) => {
      await runBacktestCommand(flags, { stdout: process.stdout, stderr: process.stderr }, Date.now());
    });
}
